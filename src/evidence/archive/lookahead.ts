import { Writable } from 'node:stream';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Item } from '../types.js';
import { drainedUnread } from './drained.js';
import type { Scan } from './scan.js';
import { PIPELINE_BUFFER, type ChunkSink } from './sink.js';
import { SNIFF_BYTES, sniff } from './sniff.js';
import { BLOCK, checksumOk, cString, isUnsafe, isZero, parsePax, readNumber, readPath } from './tarHeader.js';

/*
 * A sysdiagnose .tar.gz holds its text logs first and its logarchive (hundreds
 * of MB of binary tracev3 files nobody reads) after them. zlib inflates only
 * as fast as the parser takes its output, so while the readers work through
 * the text, the threadpool waits; then, in the binary stretch, this thread
 * waits for zlib. The lookahead walks the tar's headers as zlib hands out each
 * buffer, before the parser gets it, and passes over the data of members that
 * will be drained unread (a size instead of the bytes: nothing is kept), so
 * zlib inflates the binary stretch while the readers are still on the text.
 * What the parser and the readers are given, and in which order, is what they
 * were given before: every byte, but those no one reads.
 */

/** Bytes of the queue between the lookahead and the parser that may wait there: a burst of text logs inflated ahead. */
const QUEUE_CAP = 8 << 20;
/** Members smaller than this are handed on whole: passing over them saves little, and asking the readers costs each time. */
const MIN_PASSED_OVER = 256 << 10;
/** A buffer mostly passed over: its few bytes kept (headers, first blocks) are copied out, so the buffer itself is let go. */
const COPY_BELOW = 1 << 18;

/** A piece of an inflated buffer: bytes to hand on, or the length of data passed over. */
type Piece = Buffer | number;

interface Entry {
  pieces: Piece[];
  /** Bytes the inflated buffer held, as charged to the scan's expanded limit. */
  bytes: number;
  /** Bytes held in memory while it waits. */
  held: number;
}

type Meta = 'pax' | 'longname' | 'other';

/** Walks tar headers in inflated data; marks the data of members drained unread. Stops at anything unusual and hands the rest on whole. */
class TarWalker {
  private off = false;
  private started = false;
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private remaining = 0;
  private padding = 0;
  /** Bytes of the current member still handed on before its data may be passed over (its first SNIFF_BYTES, which decide). */
  private headLeft = 0;
  private headParts: Buffer[] = [];
  /** The member whose data after its head is passed over, once its head says it is drained. */
  private candidate: { item: Item; size: number } | undefined;
  private passing = false;
  private meta: Meta | undefined;
  private metaParts: Buffer[] = [];
  private paxPath: string | undefined;
  private paxSize: number | undefined;
  private longName: string | undefined;
  private finished = false;

  constructor(
    private readonly scan: Scan,
    private readonly prefix: string,
  ) {}

  /** The pieces of one inflated buffer. */
  walk(chunk: Buffer): Piece[] {
    if (this.off) return [chunk];
    if (!this.started) {
      this.started = true;
      // The gzip's content is a tar when its first block says so (as GzipContent decides); else nothing is passed over.
      if (chunk.length < SNIFF_BYTES || sniff(chunk.subarray(0, SNIFF_BYTES)) !== 'tar') {
        this.off = true;
        return [chunk];
      }
    }
    const pieces: Piece[] = [];
    let keptFrom = 0;
    let pos = 0;
    const len = chunk.length;
    while (pos < len && !this.off) {
      if (this.remaining > 0) {
        if (this.passing) {
          const n = Math.min(this.remaining, len - pos);
          if (pos > keptFrom) pieces.push(chunk.subarray(keptFrom, pos));
          const last = pieces[pieces.length - 1];
          if (typeof last === 'number') pieces[pieces.length - 1] = last + n;
          else pieces.push(n);
          this.remaining -= n;
          pos += n;
          keptFrom = pos;
          if (this.remaining === 0) this.endData();
          continue;
        }
        const n = Math.min(this.remaining, len - pos, this.headLeft > 0 ? this.headLeft : Infinity);
        if (this.meta) this.metaParts.push(Buffer.from(chunk.subarray(pos, pos + n)));
        else if (this.headLeft > 0) {
          this.headParts.push(chunk.subarray(pos, pos + n));
          this.headLeft -= n;
          if (this.headLeft === 0) this.decide();
        }
        this.remaining -= n;
        pos += n;
        if (this.remaining === 0) this.endData();
      } else if (this.padding > 0) {
        const n = Math.min(this.padding, len - pos);
        this.padding -= n;
        pos += n;
      } else if (this.finished) {
        pos = len;
      } else {
        const n = Math.min(BLOCK - this.headerFill, len - pos);
        chunk.copy(this.header, this.headerFill, pos, pos + n);
        this.headerFill += n;
        pos += n;
        if (this.headerFill < BLOCK) break;
        this.headerFill = 0;
        this.onHeader(this.header);
      }
    }
    if (keptFrom < len) pieces.push(keptFrom === 0 ? chunk : chunk.subarray(keptFrom));
    return pieces;
  }

  /** As TarParser.onHeader reads a header; anything it would report or refuse turns the walker off. */
  private onHeader(block: Buffer): void {
    if (block[148] === 0 && isZero(block)) {
      // Two zero blocks end the archive; what follows is handed on as it is.
      this.finished = true;
      return;
    }
    if (!checksumOk(block)) return this.stop();
    const type = block[156]!;
    const size = this.paxSize ?? readNumber(block, 124, 12);
    if (size < 0) return this.stop();
    const meta: Meta | undefined = type === 0x78 ? 'pax' : type === 0x67 || type === 0x4b ? 'other' : type === 0x4c ? 'longname' : undefined;
    if (meta) {
      if (size > 1 << 20) return this.stop();
      this.meta = meta;
      this.metaParts = [];
      return this.startData(size);
    }
    const name = this.paxPath ?? this.longName ?? readPath(block);
    this.paxPath = undefined;
    this.paxSize = undefined;
    this.longName = undefined;
    const isFile = type === 0x30 || type === 0 || type === 0x37;
    if (isFile && !isUnsafe(name) && size - SNIFF_BYTES >= MIN_PASSED_OVER) {
      this.candidate = { item: { input: this.scan.input, member: this.prefix + name, size }, size };
      this.headLeft = SNIFF_BYTES;
      this.headParts = [];
    }
    this.startData(size);
  }

  private startData(size: number): void {
    this.finished = false;
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.endData();
  }

  /** The member's first bytes are in: its data after them is passed over when it is drained unread. */
  private decide(): void {
    const c = this.candidate!;
    const head = this.headParts.length === 1 ? this.headParts[0]! : Buffer.concat(this.headParts);
    this.headParts = [];
    this.passing = drainedUnread(this.scan.readers, c.item, c.size, head);
  }

  private endData(): void {
    this.passing = false;
    this.candidate = undefined;
    this.headLeft = 0;
    this.headParts = [];
    if (!this.meta) return;
    const data = Buffer.concat(this.metaParts);
    this.metaParts = [];
    if (this.meta === 'longname') this.longName = cString(data, 0, data.length);
    else if (this.meta === 'pax') {
      const rec = parsePax(data);
      if (rec.path !== undefined) this.paxPath = rec.path;
      if (rec.size !== undefined) this.paxSize = rec.size;
    }
    this.meta = undefined;
  }

  private stop(): void {
    this.off = true;
  }
}

/**
 * The writable end of the top-level gzip's pipeline when its content may be a
 * tar: each inflated buffer is walked and queued at once (zlib goes on
 * inflating), and handed to `sink` from the queue, one buffer per turn of the
 * event loop as before. The queue holds at most QUEUE_CAP bytes; past that,
 * zlib waits as it did for the parser.
 */
export class LookaheadWritable extends Writable {
  private readonly walker: TarWalker;
  private readonly queue: Entry[] = [];
  private held = 0;
  private waiting: ((e?: Error | null) => void) | undefined;
  private running = false;
  private failed: Error | undefined;
  private ended = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly scan: Scan,
    private readonly sink: ChunkSink,
  ) {
    super({ highWaterMark: PIPELINE_BUFFER });
    this.walker = new TarWalker(scan, '');
  }

  /** Nothing waits to be handed on. */
  get idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.failed) return cb(this.failed);
    const pieces = this.walker.walk(chunk);
    let kept = 0;
    for (const p of pieces) if (typeof p !== 'number') kept += p.length;
    let held = chunk.length;
    if (kept < COPY_BELOW && pieces.some((p) => typeof p === 'number')) {
      for (let i = 0; i < pieces.length; i++) {
        const p = pieces[i]!;
        if (typeof p !== 'number') pieces[i] = Buffer.from(p);
      }
      held = kept;
    }
    this.queue.push({ pieces, bytes: chunk.length, held });
    this.held += held;
    if (!this.running) {
      this.running = true;
      void this.pump();
    }
    if (this.held < QUEUE_CAP) cb();
    else this.waiting = cb;
  }

  /** Hands the queue on, a buffer per turn of the event loop (as writableOf does). */
  private async pump(): Promise<void> {
    try {
      while (this.queue.length && !this.failed) {
        await nextMacrotask();
        // Emptied meanwhile when the pipeline was torn down (an abort, a limit).
        const e = this.queue.shift();
        if (!e || this.failed) break;
        this.scan.markYielded();
        this.scan.check();
        this.scan.addExpanded(e.bytes);
        for (const p of e.pieces) {
          const r = typeof p === 'number' ? this.sink.skip!(p) : this.sink.write(p);
          if (r) await r;
        }
        this.held -= e.held;
        if (this.waiting && this.held < QUEUE_CAP) {
          const cb = this.waiting;
          this.waiting = undefined;
          cb();
        }
      }
    } catch (e) {
      this.failed = e as Error;
      const cb = this.waiting;
      this.waiting = undefined;
      if (cb) cb(this.failed);
      else this.destroy(this.failed);
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.whenIdle().then(() => {
      if (this.failed) return cb(this.failed);
      this.ended = true;
      try {
        const r = this.sink.end();
        if (r) r.then(() => cb(), cb);
        else cb();
      } catch (e) {
        cb(e as Error);
      }
    }, cb);
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    // zlib failed on damaged data: what it inflated before is read first, as it would have been had it not run ahead.
    const zlibFailed = !!err && !this.failed && /^Z_/.test((err as NodeJS.ErrnoException).code ?? '');
    const finish = () => {
      if (!this.ended || err) this.sink.abort();
      cb(err);
    };
    if (zlibFailed && !this.idle) this.whenIdle().then(finish, finish);
    else {
      this.queue.length = 0;
      finish();
    }
  }
}
