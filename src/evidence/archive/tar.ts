import type { Parser } from 'tar/parse';
import type { ReadEntry } from 'tar/read-entry';
import { sysdiagnoseFacts } from '../sysdiagnose.js';
import { Member } from './member.js';
import type { Scan } from './scan.js';
import type { ChunkSink } from './sink.js';

const BLOCK = 512;
/** pax and GNU long-name records larger than this are not believed. */
const MAX_META = 1 << 20;

type Step = () => void | Promise<void>;

let ParserClass: typeof Parser | undefined;
let loading: Promise<void> | undefined;
/** tar's Parser is loaded when the first tar is met: help, pastes and single files never need it. */
function loadParser(): Promise<void> {
  return (loading ??= import('tar/parse').then((m) => {
    ParserClass = m.Parser;
  }));
}

/** A member being read: the entry the parser hands out and where its bytes go. */
interface Open {
  entry: ReadEntry;
  sink: ChunkSink;
  name: string;
  member: Member | undefined;
}

/**
 * Reads a tar stream (ustar, pax, GNU long names) with the `tar` package's
 * Parser and hands each member's data on as slices of the incoming chunks.
 * Nothing is ever written to disk, so hostile paths and links are only
 * reported, never followed.
 *
 * The Parser works synchronously through a whole chunk; readers may need to
 * wait (a plist being parsed, the loop handed back). So what the Parser
 * reports is queued as steps, in archive order, and run after each chunk:
 * the caller waits for them before sending the next one, which keeps what is
 * queued to one chunk. Steps also never run inside the Parser's own calls,
 * so a limit that stops the scan unwinds through this class, not through the
 * Parser's state.
 */
export class TarReader implements ChunkSink {
  private parser: Parser | undefined;
  private steps: Step[] = [];
  private next = 0;
  private open: Open | undefined;
  /** The Parser is not fed again: the end-of-archive marker or damage was met. */
  private closed = false;
  /** Steps after this are dropped: damage was reported, or the scan aborted. */
  private halted = false;
  private fed = 0;
  /** The start of a block whose rest is in the next chunk. */
  private carry: Buffer | undefined;
  private members = 0;
  private zeroBlocks = 0;
  private sawEnd = false;
  private truncated: { entry: ReadEntry } | undefined;

  constructor(
    private readonly scan: Scan,
    /** Prefix of member paths when this tar is itself a member ("outer.zip!/"). */
    private readonly prefix: string,
    private readonly depth: number,
  ) {}

  /** Makes the Parser once its module is loaded; false until then. */
  private ready(): boolean {
    if (this.parser) return true;
    if (!ParserClass) return false;
    // Never decompress: gzip is opened (and charged to the expansion limit) before data gets here
    // (sniff() names data starting with gzip's magic gzip, even when it also passes for tar), and
    // tar data that starts like zstd or brotli is damaged, not compressed.
    this.parser = new ParserClass({
      strict: false,
      zstd: false,
      brotli: false,
      maxMetaEntrySize: MAX_META,
      onReadEntry: (entry) => this.onEntry(entry),
      onwarn: (code, message, data) => this.onWarn(code, message, data as { entry?: ReadEntry }),
      ondone: () => {},
    });
    this.parser.on('ignoredEntry', (entry: ReadEntry) => this.onIgnored(entry));
    this.parser.on('nullBlock', () => this.queue(() => void this.zeroBlocks++));
    this.parser.on('eof', () => {
      this.closed = true;
      this.queue(() => {
        this.zeroBlocks = 2;
        this.sawEnd = true;
      });
    });
    return true;
  }

  write(chunk: Buffer): void | Promise<void> {
    if (this.closed || this.halted) return;
    if (!this.ready()) return loadParser().then(() => this.write(chunk));
    this.fed += chunk.length;
    this.feed(chunk);
    return this.run();
  }

  /**
   * Hands the Parser whole 512-byte blocks only. Decompressed chunks end
   * anywhere, and a Parser left with part of a block joins it to the whole
   * next chunk (a copy of every byte); here only the block that straddles two
   * chunks is copied.
   */
  private feed(chunk: Buffer): void {
    let pos = 0;
    if (this.carry) {
      const need = BLOCK - this.carry.length;
      if (chunk.length < need) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const block = Buffer.concat([this.carry, chunk.subarray(0, need)]);
      this.carry = undefined;
      pos = need;
      this.parser!.write(block);
      if (this.closed) return;
    }
    const end = pos + Math.floor((chunk.length - pos) / BLOCK) * BLOCK;
    if (end > pos) this.parser!.write(pos === 0 && end === chunk.length ? chunk : chunk.subarray(pos, end));
    if (end < chunk.length) this.carry = Buffer.from(chunk.subarray(end));
  }

  end(): void | Promise<void> {
    if (this.halted) return;
    if (!this.ready()) return loadParser().then(() => this.end());
    if (!this.closed) {
      this.closed = true;
      // A last partial block: part of a member's data, or of a header, which the Parser words as cut short.
      if (this.carry) this.parser!.write(this.carry);
      this.carry = undefined;
      this.parser!.end();
    }
    const r = this.run();
    return r ? r.then(() => this.finish()) : this.finish();
  }

  /** Keeps scan.current: the message about what broke names the member it broke in. */
  abort(): void {
    this.halted = true;
    this.closed = true;
    this.steps = [];
    this.next = 0;
    this.open?.sink.abort();
    this.open = undefined;
  }

  private queue(step: Step): void {
    if (!this.halted) this.steps.push(step);
  }

  /** Runs the queued steps in order; a promise when one of them must wait. */
  private run(): void | Promise<void> {
    while (this.next < this.steps.length) {
      if (this.halted) return;
      const r = this.steps[this.next++]!();
      if (r) return r.then(() => this.run());
    }
    this.steps = [];
    this.next = 0;
  }

  private onEntry(entry: ReadEntry): void {
    // The Parser holds the next entry back until this one ends, so every entry flows at once and
    // its bytes are queued with the steps, in order. 'end' is listened for before the data starts
    // flowing: an empty entry ends as soon as it flows.
    this.queue(() => this.start(entry));
    entry.on('end', () => this.queue(() => this.close(entry)));
    if (isFileType(entry.type) && !isUnsafe(entry.path)) entry.on('data', (data: Buffer) => this.queue(() => (this.open?.entry === entry ? this.open.sink.write(data) : undefined)));
    else entry.resume();
  }

  private onIgnored(entry: ReadEntry): void {
    if (entry.meta) {
      // Only meta entries over maxMetaEntrySize are ignored: no real archive has one.
      this.closed = true;
      this.queue(() => this.damaged(`a ${entry.size}-byte extended header is not believable`));
      return;
    }
    // Types the Parser does not know (ACLs, sparse files, volume labels): counted, never read.
    this.queue(() => {
      this.count(entry.path);
    });
    entry.on('end', () => this.queue(() => this.close(entry)));
  }

  private onWarn(code: string, message: string, data: { entry?: ReadEntry }): void {
    if (code === 'TAR_BAD_ARCHIVE' && data.entry) {
      // The data ended inside an entry; the Parser ends it next with what there was.
      const entry = data.entry;
      this.queue(() => {
        this.truncated = { entry };
      });
      return;
    }
    if (code === 'TAR_BAD_ARCHIVE') return; // "Unrecognized archive format": finish() words it better
    const header = (data as { header?: { path?: string; size?: number; linkpath?: string; type?: string } }).header;
    if (message === 'linkpath required' && header && !header.size) {
      // A link with no target: nothing follows its header, so the archive reads on.
      this.queue(() => {
        const member = this.count(header.path ?? '');
        this.scan.problem('archive.link_skipped', `is a ${header.type === 'SymbolicLink' ? 'symbolic' : 'hard'} link (to nothing); links are never followed`, member);
      });
      return;
    }
    // A header that is not valid: what follows it cannot be told apart from data, so the
    // rest of the archive is not read (the Parser would go on trying every block as a header).
    this.closed = true;
    this.queue(() => this.damaged(`an entry header is not a valid header (${message === 'checksum failure' ? 'checksum mismatch' : message})`));
  }

  private start(entry: ReadEntry): void | Promise<void> {
    this.zeroBlocks = 0;
    const name = entry.path;
    const member = this.count(name);
    const size = entry.size;
    if (!Number.isSafeInteger(size) || size < 0) {
      this.damaged(`the entry header of ${member} has an unreadable size`);
      return;
    }
    this.noteSysdiagnose(name);
    const type = entry.type;
    let sink: ChunkSink | undefined;
    let reader: Member | undefined;
    if (isUnsafe(name)) {
      this.scan.problem('archive.unsafe_path', `has a member path that ${name.startsWith('/') ? 'is absolute' : 'climbs out of the archive with ".."'}; it was not read (nothing is ever extracted)`, member);
    } else if (type === 'Link' || type === 'SymbolicLink') {
      this.scan.problem('archive.link_skipped', `is a ${type === 'SymbolicLink' ? 'symbolic' : 'hard'} link (to ${entry.linkpath || 'nothing'}); links are never followed`, member);
    } else if (isFileType(type)) {
      this.scan.current = member;
      reader = new Member(this.scan, { input: this.scan.input, member, size }, { size, depth: this.depth, topLevel: false });
      sink = reader;
    }
    // Folders, devices, FIFOs: nothing a reader uses, and their data (if any) is not kept.
    if (sink) this.open = { entry, sink, name: member, member: reader };
    // Many small members in one chunk: look at the clock once per member.
    if (this.scan.shouldYield()) return this.scan.yieldNow();
  }

  private close(entry: ReadEntry): void | Promise<void> {
    const open = this.open;
    const cut = this.truncated?.entry === entry ? this.truncated : undefined;
    if (cut) this.truncated = undefined;
    if (cut && entry.remain > 0) {
      this.open = undefined;
      open?.sink.abort();
      const name = open?.name ?? this.prefix + entry.path;
      this.halted = true;
      this.scan.problem(
        'archive.truncated',
        `tar data ends in the middle of ${name} (${entry.size - entry.remain} of ${entry.size} bytes present); the archive is cut short, what was read before is kept`,
        this.where(),
      );
      return;
    }
    const after = () => {
      this.scan.current = undefined;
      if (cut) {
        this.halted = true;
        this.scan.problem('archive.truncated', `tar data ends inside the padding after ${this.prefix + entry.path}; the archive is cut short`, this.where());
      }
    };
    if (!open || open.entry !== entry) return after();
    this.open = undefined;
    const r = open.sink.end();
    return r ? r.then(after) : after();
  }

  private finish(): void {
    if (this.halted) return;
    const where = this.where();
    if (this.sawEnd) return;
    if (this.truncated) {
      // Only a pax or long-name record can be cut without a member to name: it is part of a header.
      this.scan.problem('archive.truncated', `tar data ends in the middle of an entry header after ${this.members} members; the archive is cut short`, where);
    } else if (this.fed % BLOCK !== 0) {
      this.scan.problem('archive.truncated', `tar data ends in the middle of an entry header after ${this.members} members; the archive is cut short`, where);
    } else if (this.members === 0 && this.zeroBlocks === 0) {
      this.scan.problem('archive.empty', 'tar data holds no entries', where);
    } else {
      this.scan.problem('archive.truncated', `tar data ends after ${this.members} members without its end-of-archive marker; it may be cut short`, where);
    }
  }

  /** Counts an entry against the entry limit and names it as the scan does. */
  private count(name: string): string {
    const member = this.prefix + name;
    this.members++;
    this.zeroBlocks = 0;
    this.scan.addEntry(member);
    return member;
  }

  private damaged(what: string): void {
    this.halted = true;
    this.closed = true;
    this.open?.sink.abort();
    this.open = undefined;
    const last = this.members ? ` after ${this.members} members` : '';
    this.scan.problem('archive.corrupt', `tar data is damaged: ${what}${last}; the rest of the archive cannot be read, what was read before is kept`, this.where());
  }

  private where(): string | undefined {
    return this.prefix ? this.prefix.slice(0, -2) : undefined;
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

/** '0', NUL (old tar) and '7' (contiguous) hold a file's bytes. */
function isFileType(type: string): boolean {
  return type === 'File' || type === 'OldFile' || type === 'ContiguousFile';
}

function isUnsafe(name: string): boolean {
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return true;
  for (const seg of name.split(/[\\/]/)) if (seg === '..') return true;
  return false;
}
