import { bufferReadersFor, lineReadersFor } from '../dispatch.js';
import type { LineOrigin } from '../text/lineOrigin.js';
import { itemName, type Item } from '../types.js';
import { GunzipSink } from './gzip.js';
import { LineFeeder } from './lineFeeder.js';
import { mayNeedNormalising, NormaliseSink } from './normalise.js';
import { ReadSink } from './readSink.js';
import { ScanStop, type Scan } from './scan.js';
import { DRAIN, andThen, type ChunkSink } from './sink.js';
import { SNIFF_BYTES, sniff } from './sniff.js';
import { withValuesFallback } from './valuesMember.js';

/** Archives inside archives (a zip wrapping a .tar.gz, rotated .gz logs) are opened this deep, no deeper. */
const MAX_DEPTH = 3;

export interface MemberOptions {
  /** Size in bytes when known up front (tar header, zip directory, file size). */
  size?: number;
  depth: number;
  /**
   * The whole input (not an archive member): archives are recognised before
   * readers are asked, and data no reader wants is reported.
   */
  topLevel: boolean;
  /** Report data no reader wants (the input itself, or the one file a top-level .gz holds). */
  reportUnwanted?: boolean;
  /** The data is already plain UTF-8 text as the readers know it, or was let through as it was (see normalise.ts). */
  normalised?: boolean;
  /** The file line each line of the (unwrapped) text comes from, when not its own. */
  origin?: LineOrigin;
}

/**
 * What macOS adds to a zip it makes (Finder's Compress) or a folder copied to
 * another disk: `__MACOSX/` copies of each file's resource fork and `._name`
 * AppleDouble files. They hold no evidence and are passed over without a word.
 */
function isMacMetadata(path: string): boolean {
  return /(?:^|\/)__MACOSX(?:\/|$)|(?:^|\/)\._[^/]*$/.test(path);
}

/**
 * One file or archive member as it streams past. Collects its first bytes,
 * asks the readers whether they want it (by name and those bytes), then
 * buffers it for structured readers, feeds it line by line to text readers,
 * opens it as a nested archive, or lets it drain.
 */
export class Member implements ChunkSink {
  private target: ChunkSink | undefined;
  private head: Buffer[] = [];
  private headLength = 0;
  private readonly want: number;
  private draining = false;

  constructor(
    private readonly scan: Scan,
    private readonly item: Item,
    private readonly opts: MemberOptions,
  ) {
    this.want = Math.min(SNIFF_BYTES, opts.size ?? SNIFF_BYTES);
  }

  /** Nobody wants the rest: a source that can skip (zip entry, file on disk) may stop sending. */
  get isDraining(): boolean {
    return this.draining || (this.target instanceof NormaliseSink && this.target.isDraining);
  }

  write(chunk: Buffer): void | Promise<void> {
    if (this.target) return this.target.write(chunk);
    if (this.headLength === 0 && chunk.length >= this.want) return this.decide(chunk.subarray(0, SNIFF_BYTES), [chunk]);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= this.want) {
      const all = Buffer.concat(this.head);
      this.head = [];
      return this.decide(all.subarray(0, SNIFF_BYTES), [all]);
    }
  }

  end(): void | Promise<void> {
    if (!this.target) {
      const all = Buffer.concat(this.head);
      this.head = [];
      if (this.opts.topLevel && all.length === 0) {
        this.scan.problem('input.empty', 'is empty (0 bytes)');
        this.target = DRAIN;
        return;
      }
      return andThen(this.decide(all.subarray(0, SNIFF_BYTES), [all]), () => this.target!.end());
    }
    return this.target.end();
  }

  abort(): void {
    this.target?.abort();
    this.target = DRAIN;
  }

  private decide(head: Buffer, pending: Buffer[]): void | Promise<void> {
    this.target = this.choose(head);
    // biome-ignore lint/complexity/noUselessUndefinedInitialization: TypeScript wants a `void` variable definitely assigned
    let r: void | Promise<void> = undefined;
    for (const b of pending) r = andThen(r, () => this.target!.write(b));
    return r;
  }

  private choose(head: Buffer): ChunkSink {
    const { scan, item, opts } = this;
    if (item.member && isMacMetadata(item.member)) {
      this.draining = true;
      return DRAIN;
    }
    const kind = sniff(head);
    const nestedOk = opts.depth < MAX_DEPTH;
    if (opts.topLevel && kind !== 'other') return this.archive(kind);
    if (kind === 'other' && !opts.normalised && mayNeedNormalising(head, item))
      return new NormaliseSink(scan, item, (changed, origin) => {
        const { size: _size, ...rest } = item;
        return new Member(scan, origin ? { ...rest, unwrapped: true } : changed ? rest : item, {
          ...opts,
          ...(changed ? { size: undefined } : {}),
          normalised: true,
          ...(origin ? { origin } : {}),
        });
      });
    const name = itemName(item);
    const buffers = bufferReadersFor(name, head, item, scan.readers);
    const lines = lineReadersFor(name, head, item, scan.readers);
    if (buffers.length || lines.length) {
      const read = new ReadSink(
        scan,
        item,
        buffers,
        lines.length ? new LineFeeder(item, lines, { limits: scan.limits }, scan, opts.origin) : undefined,
        opts.size,
      );
      return opts.topLevel ? read : withValuesFallback(scan, item, opts.size, read)!;
    }
    if (kind !== 'other' && nestedOk) return this.archive(kind);
    // A case folder's small .txt may hold the server's values: read as such when nothing else comes of it.
    const values = kind === 'other' && !opts.topLevel ? withValuesFallback(scan, item, opts.size, undefined) : undefined;
    if (values) return values;
    if (kind !== 'other') scan.problem('archive.too_deep', `is an archive inside ${opts.depth} other archives; not opened`, item.member);
    else if (opts.topLevel || opts.reportUnwanted)
      scan.problem('input.unrecognised', 'is not a kind of evidence pushcheck reads (plist, profile, log, certificate, archive…)');
    scan.counts.drained++;
    this.draining = true;
    return DRAIN;
  }

  private archive(kind: 'gzip' | 'tar' | 'zip'): ChunkSink {
    const { scan, item, opts } = this;
    scan.counts.nested++;
    const prefix = item.member ? `${item.member}!/` : '';
    if (kind === 'tar' || kind === 'zip') return scan.openArchive(kind, scan, item.member, prefix, opts.depth + 1, opts.topLevel);
    // gzip: the data inside is a tar, or a single compressed file (x.log.gz holds x.log).
    const inner = stripGz(item.member ?? baseName(item.input));
    const innerItem: Item = { input: item.input, member: item.member ? `${item.member}!/${inner}` : inner };
    const tarOrFile = new Member(scan, innerItem, { depth: opts.depth, topLevel: false, reportUnwanted: opts.topLevel });
    return new GunzipSink(scan, new GzipContent(scan, innerItem, tarOrFile, prefix, opts.depth, opts.topLevel), item.member);
  }
}

/** What a gzip holds: a tar (named by its members) or one plain file. */
class GzipContent implements ChunkSink {
  private target: ChunkSink | undefined;
  private head: Buffer[] = [];
  private headLength = 0;

  constructor(
    private readonly scan: Scan,
    private readonly item: Item,
    private readonly file: Member,
    private readonly prefix: string,
    private readonly depth: number,
    private readonly topLevel: boolean,
  ) {}

  write(chunk: Buffer): void | Promise<void> {
    if (this.target) return this.target.write(chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= SNIFF_BYTES) return this.decide();
  }

  end(): void | Promise<void> {
    return andThen(this.target ? undefined : this.decide(), () => this.target!.end());
  }

  abort(): void {
    (this.target ?? this.file).abort();
  }

  private decide(): void | Promise<void> {
    const all = Buffer.concat(this.head);
    this.head = [];
    if (sniff(all) === 'tar') this.target = this.scan.openArchive('tar', this.scan, this.item.member, this.prefix, this.depth + 1);
    else {
      this.target = this.file;
      if (this.topLevel && all.length === 0) this.scan.problem('input.empty', 'is gzip data of an empty file');
    }
    return this.target.write(all);
  }
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function stripGz(p: string): string {
  const b = baseName(p);
  if (/\.tgz$/i.test(b)) return `${b.slice(0, -4)}.tar`;
  if (/\.gz$/i.test(b)) return b.slice(0, -3);
  return b;
}

/** Checks a member's data as it streams past (a zip entry's CRC-32). */
export interface MemberCheck {
  update(chunk: Buffer): void;
  /** Called once all the data went past: what is wrong with it, or undefined. */
  failure(): string | undefined;
}

/**
 * Streams one member (a file in a folder, a zip entry) into a new Member
 * sink. `count` adds the bytes to the right limit; a read failure becomes
 * the problem `describe` words, and what was read before it is kept. With
 * `check`, data that fails it is reported and nothing read from the member
 * is used.
 */
export async function pumpMember(
  scan: Scan,
  item: { member: string; size: number; depth: number },
  stream: AsyncIterable<unknown> & { destroy(): void },
  count: (bytes: number) => void,
  describe: (e: Error) => { code: string; message: string },
  check?: MemberCheck,
): Promise<void> {
  const sink = new Member(scan, { input: scan.input, member: item.member, size: item.size }, { size: item.size, depth: item.depth, topLevel: false });
  const before = scan.mark();
  scan.current = item.member;
  try {
    let whole = true;
    for await (const chunk of stream) {
      count((chunk as Buffer).length);
      check?.update(chunk as Buffer);
      const r = sink.write(chunk as Buffer);
      if (r) await r;
      if (sink.isDraining) {
        whole = false;
        break;
      }
      if (scan.shouldYield()) await scan.yieldNow();
    }
    const failure = whole ? check?.failure() : undefined;
    if (failure) {
      // Readers of nested members may already have reported: all of it goes.
      sink.abort();
      scan.rollback(before);
      scan.problem('archive.checksum_mismatch', failure, item.member);
      return;
    }
    await sink.end();
  } catch (e) {
    sink.abort();
    if (e instanceof ScanStop) throw e;
    if (scan.stopped) throw scan.stopped;
    const p = describe(e as Error);
    scan.problem(p.code, p.message, item.member);
  } finally {
    scan.release();
    stream.destroy();
    scan.current = undefined;
  }
}
