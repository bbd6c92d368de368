import { sysdiagnoseFacts } from '../sysdiagnose.js';
import { Member } from './member.js';
import type { Scan } from './scan.js';
import { DRAIN, andThen, type ChunkSink } from './sink.js';
import { BLOCK, checksumOk, cString, isUnsafe, isZero, parsePax, readNumber, readPath, readString } from './tarHeader.js';

/** pax and GNU long-name records larger than this are not believed. */
const MAX_META = 1 << 20;

type Meta = 'pax' | 'global' | 'longname' | 'longlink';

/**
 * A streaming ustar/pax/GNU tar reader. Member data is handed on as slices of
 * the incoming chunks (no copies); members nobody wants cost a subtraction.
 * Nothing is ever written to disk, so hostile paths and links are only
 * reported, never followed. (Not the tar package's Parser: on the
 * benchmark's default bundle that took 13 % longer; figures in the README.)
 */
export class TarParser implements ChunkSink {
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private remaining = 0;
  private padding = 0;
  private entry: ChunkSink | undefined;
  private entryName = '';
  private entrySize = 0;
  private dataSize = 0;
  private meta: Meta | undefined;
  private metaParts: Buffer[] = [];
  private paxPath: string | undefined;
  private paxSize: number | undefined;
  private longName: string | undefined;
  private zeroBlocks = 0;
  private finished = false;
  private broken = false;
  private offset = 0;
  private members = 0;

  constructor(
    private readonly scan: Scan,
    /** Prefix of member paths when this tar is itself a member ("outer.zip!/"). */
    private readonly prefix: string,
    private readonly depth: number,
  ) {}

  write(chunk: Buffer): void | Promise<void> {
    return this.run(chunk, 0);
  }

  private run(chunk: Buffer, pos: number): void | Promise<void> {
    const len = chunk.length;
    while (pos < len) {
      if (this.finished || this.broken) return;
      // biome-ignore lint/complexity/noUselessUndefinedInitialization: TypeScript wants a `void` variable definitely assigned
      let r: void | Promise<void> = undefined;
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, len - pos);
        const slice = chunk.subarray(pos, pos + n);
        this.remaining -= n;
        this.offset += n;
        pos += n;
        if (this.meta) this.collectMeta(slice);
        else r = this.entry!.write(slice);
        if (this.remaining === 0) r = andThen(r, () => this.closeEntry());
      } else if (this.padding > 0) {
        const n = Math.min(this.padding, len - pos);
        this.padding -= n;
        this.offset += n;
        pos += n;
        continue;
      } else {
        let block: Buffer;
        if (this.headerFill === 0 && len - pos >= BLOCK) {
          block = chunk.subarray(pos, pos + BLOCK);
          pos += BLOCK;
        } else {
          const n = Math.min(BLOCK - this.headerFill, len - pos);
          chunk.copy(this.header, this.headerFill, pos, pos + n);
          this.headerFill += n;
          pos += n;
          if (this.headerFill < BLOCK) return;
          this.headerFill = 0;
          block = this.header;
        }
        this.offset += BLOCK;
        r = this.onHeader(block);
        // Many small members in one chunk: look at the clock once per member.
        if (!r && this.scan.shouldYield()) r = this.scan.yieldNow();
      }
      if (r) {
        const at = pos;
        return r.then(() => this.run(chunk, at));
      }
    }
  }

  end(): void | Promise<void> {
    if (this.finished || this.broken) return;
    const where = this.where();
    if (this.remaining > 0 && !this.meta) {
      const name = this.entryName;
      this.abort();
      this.scan.problem(
        'archive.truncated',
        `tar data ends in the middle of ${name} (${this.entrySize - this.remaining} of ${this.entrySize} bytes present); the archive is cut short, what was read before is kept`,
        where,
      );
    } else if (this.remaining > 0 || this.headerFill > 0) {
      this.scan.problem('archive.truncated', `tar data ends in the middle of an entry header after ${this.members} members; the archive is cut short`, where);
    } else if (this.members === 0 && this.zeroBlocks === 0) {
      this.scan.problem('archive.empty', 'tar data holds no entries', where);
    } else if (this.zeroBlocks < 2 && this.padding === 0) {
      this.scan.problem('archive.truncated', `tar data ends after ${this.members} members without its end-of-archive marker; it may be cut short`, where);
    } else if (this.padding > 0) {
      this.scan.problem('archive.truncated', `tar data ends inside the padding after ${this.entryName}; the archive is cut short`, where);
    }
  }

  /** Keeps scan.current: the message about what broke names the member it broke in. */
  abort(): void {
    this.entry?.abort();
    this.entry = undefined;
  }

  private onHeader(block: Buffer): void | Promise<void> {
    if (block[148] === 0 && isZero(block)) {
      if (++this.zeroBlocks >= 2) this.finished = true;
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumOk(block))
      return this.damaged(
        `is not a valid header (checksum mismatch) after ${this.members} members; the rest of the archive cannot be read, what was read before is kept`,
      );
    const type = block[156]!;
    const size = this.paxSize ?? readNumber(block, 124, 12);
    if (size < 0) return this.damaged('has an unreadable size');
    // 'x' pax, 'g' global pax, 'L'/'K' GNU long name/link: records about the next entry.
    const meta: Meta | undefined = type === 0x78 ? 'pax' : type === 0x67 ? 'global' : type === 0x4c ? 'longname' : type === 0x4b ? 'longlink' : undefined;
    if (!meta) return this.startMember(block, type, size);
    if (size > MAX_META) {
      this.broken = true;
      this.scan.problem(
        'archive.corrupt',
        `tar data is damaged: a ${size}-byte extended header at byte ${this.offset - BLOCK} is not believable`,
        this.where(),
      );
      return;
    }
    this.meta = meta;
    this.metaParts = [];
    return this.startData(size);
  }

  /** The archive outside this one, when it is a member, for problems about the whole tar. */
  private where(): string | undefined {
    return this.prefix ? this.prefix.slice(0, -2) : undefined;
  }

  /** A header that cannot be read: nothing after it can be found. */
  private damaged(what: string): void {
    this.broken = true;
    this.scan.problem('archive.corrupt', `tar data is damaged: the entry header at byte ${this.offset - BLOCK} ${what}`, this.where());
  }

  /** A member's header: files go to a Member to be read; links, unsafe paths and the rest are drained. */
  private startMember(block: Buffer, type: number, size: number): void | Promise<void> {
    const name = this.paxPath ?? this.longName ?? readPath(block);
    this.paxPath = undefined;
    this.paxSize = undefined;
    this.longName = undefined;
    const member = this.prefix + name;
    this.members++;
    this.scan.addEntry(member);
    this.entryName = member;
    this.entrySize = size;
    this.noteSysdiagnose(name);

    const isFile = type === 0x30 || type === 0 || type === 0x37; // '0', NUL (old tar), '7' contiguous
    if (isUnsafe(name)) {
      this.scan.problem(
        'archive.unsafe_path',
        `has a member path that ${name.startsWith('/') ? 'is absolute' : 'climbs out of the archive with ".."'}; it was not read (nothing is ever extracted)`,
        member,
      );
      this.entry = DRAIN;
    } else if (type === 0x31 || type === 0x32) {
      const target = readString(block, 157, 100);
      this.scan.problem(
        'archive.link_skipped',
        `is a ${type === 0x32 ? 'symbolic' : 'hard'} link (to ${target || 'nothing'}); links are never followed`,
        member,
      );
      this.entry = DRAIN;
    } else if (!isFile) {
      this.entry = DRAIN; // folders, devices, FIFOs, sparse files: nothing a reader uses
    } else {
      this.scan.current = member;
      this.entry = new Member(this.scan, { input: this.scan.input, member, size }, { size, depth: this.depth, topLevel: false });
    }
    return this.startData(size);
  }

  private startData(size: number): void | Promise<void> {
    this.dataSize = size;
    this.remaining = size;
    this.padding = 0;
    if (size === 0) return this.closeEntry();
  }

  private closeEntry(): void | Promise<void> {
    this.padding = (BLOCK - (this.dataSize % BLOCK)) % BLOCK;
    if (this.meta) {
      this.finishMeta();
      return;
    }
    const entry = this.entry!;
    this.entry = undefined;
    return andThen(entry.end(), () => {
      this.scan.current = undefined;
    });
  }

  private collectMeta(slice: Buffer): void {
    this.metaParts.push(Buffer.from(slice));
  }

  private finishMeta(): void {
    const data = Buffer.concat(this.metaParts);
    this.metaParts = [];
    const kind = this.meta;
    this.meta = undefined;
    if (kind === 'longname') this.longName = cString(data, 0, data.length);
    else if (kind === 'pax') {
      const rec = parsePax(data);
      if (rec.path !== undefined) this.paxPath = rec.path;
      if (rec.size !== undefined) this.paxSize = rec.size;
    }
    // Global records and long link targets change nothing a reader sees.
  }

  private noteSysdiagnose(name: string): void {
    // Only folders: a sysdiagnose archive stored whole is described by its own members.
    // `tar -C dir .` (how people re-pack an extracted sysdiagnose) puts "./" before every name.
    const path = name.replace(/^(?:\.\/)+/, '');
    const slash = path.indexOf('/');
    if (slash < 0) return;
    const top = path.slice(0, slash);
    if (!top.startsWith('sysdiagnose')) return;
    const key = this.prefix + top;
    if (this.scan.sysdiagnoseSeen.has(key)) return;
    this.scan.sysdiagnoseSeen.add(key);
    for (const f of sysdiagnoseFacts(top, { kind: 'file', input: this.scan.input, member: `${key}/` })) this.scan.facts.push(f);
  }
}
