import type { Fact, Problem } from '../../facts/schema.js';
import type { LineOrigin } from '../text/lineOrigin.js';
import { problemOf, type Item, type LineReader, type LineSink, type ReadContext } from '../types.js';
import { byteFilterOf, nextNeedle, type ByteFilter } from './linePrefilter.js';

/**
 * Feeds text to line readers as its chunks arrive, so a 200 MB log is never
 * held whole: at most one line (capped at maxLineLength) is carried between
 * chunks, and the rest of an over-long line is skipped without decoding it.
 */
/** Hands the event loop back when a slice of work has been long (see Scan). */
export interface Slicer {
  shouldYield(): boolean;
  yieldNow(): Promise<void>;
  /** The input's budget of text handed to readers (see Scan.takeText): how many of n characters may be. */
  takeText?(n: number, member: string | undefined): number;
  /** Counts a member of which no text at all could be read. */
  skippedText?(): void;
}

/** Lines between two looks at the clock: cheap enough, and slow readers still yield in time. */
const LINES_PER_CHECK = 32;

export class LineFeeder {
  private readonly sinks: { id: string; sink: LineSink }[] = [];
  /** Bytes of a line that continues in the next chunk (raw, so a character split between chunks survives). */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Inside an over-long line: bytes are dropped until the next newline. */
  private skipping = false;
  private lineNo = 1;
  private sinceCheck = 0;
  private bytes = 0;
  private stoppedAtLimit = false;
  /** The input's text budget ran out at a line of this log (see Slicer.takeText). */
  private outOfText = false;
  /** Lines handed to the readers so far. */
  private delivered = 0;
  private sawNul = false;
  private longLines = 0;
  private firstLongLine = 0;
  /** Bytes kept of one line: enough for maxLineLength characters of any UTF-8. */
  private readonly maxLineBytes: number;
  readonly problems: Problem[] = [];
  /** Set when every sink declared a prefilter. */
  private readonly filter: ByteFilter | undefined;
  /** Whether some sink may still want every line (see LineSink.wantsEveryLine). */
  private warming: boolean;
  /** Per key of the filter, where its next needle sits in `hitsIn` at or after the last position asked (-1: nowhere more). */
  private hits: number[] = [];
  private hitsIn: Buffer | undefined;
  /** The least of `hits` that is >= the last position asked (Infinity: no needle further on). */
  private nextHit = -1;

  constructor(
    private readonly item: Item,
    readers: readonly LineReader[],
    private readonly ctx: ReadContext,
    private readonly slicer?: Slicer,
    /** Where each line comes from in the file, when the text was unwrapped (see text/lineOrigin.ts). */
    private readonly origin?: LineOrigin,
  ) {
    this.maxLineBytes = ctx.limits.maxLineLength * 4;
    for (const r of readers) {
      try {
        this.sinks.push({ id: r.id, sink: r.open(item, ctx) });
      } catch (e) {
        this.problems.push(problemOf(item, 'reader.failed', `${r.id} could not start reading it: ${(e as Error).message}`));
      }
    }
    this.filter = byteFilterOf(this.sinks.map((s) => s.sink));
    this.warming = !!this.filter && this.sinks.some((s) => typeof s.sink.wantsEveryLine === 'function');
  }

  /**
   * Feeds one chunk; false once the log byte limit is reached (the caller
   * drains the rest). A promise when slow readers made it pause for the loop.
   *
   * Lines are decoded one by one from the bytes rather than sliced out of one
   * decoded chunk: a slice would keep its whole 1 MiB parent string alive for
   * as long as a reader keeps any fact taken from that line.
   */
  write(chunk: Buffer): boolean | Promise<boolean> {
    if (this.stoppedAtLimit) return false;
    const { maxLogBytes } = this.ctx.limits;
    if (this.bytes + chunk.length > maxLogBytes) {
      chunk = chunk.subarray(0, Math.max(0, maxLogBytes - this.bytes));
      this.stoppedAtLimit = true;
      this.problems.push(
        problemOf(this.item, 'log.truncated', `is longer than the log limit of ${maxLogBytes} bytes; only the first ${maxLogBytes} bytes were read`),
      );
    }
    this.bytes += chunk.length;
    if (chunk.indexOf(0) >= 0 && !this.sawNul) {
      this.sawNul = true;
      this.problems.push(problemOf(this.item, 'text.nul', 'holds NUL bytes; read as text anyway, the NUL bytes ignored'));
    }
    const r = this.feed(chunk, 0);
    return r ? r.then(() => !this.stoppedAtLimit) : !this.stoppedAtLimit;
  }

  private feed(chunk: Buffer, from: number): void | Promise<void> {
    let pos = from;
    const len = chunk.length;
    while (pos < len) {
      if (this.slicer && ++this.sinceCheck === LINES_PER_CHECK) {
        this.sinceCheck = 0;
        if (this.slicer.shouldYield()) {
          const at = pos;
          return this.slicer.yieldNow().then(() => this.feed(chunk, at));
        }
      }
      const nl = chunk.indexOf(10, pos);
      const end = nl < 0 ? len : nl;
      if (this.skipping) {
        if (nl < 0) return;
        this.skipping = false;
        this.lineNo++;
        pos = nl + 1;
        continue;
      }
      if (nl < 0) {
        this.hold(chunk.subarray(pos, end));
        return;
      }
      if (this.filter && !this.carryBytes && this.canSkip(chunk, pos, end)) {
        this.lineNo++;
        pos = this.skipMore(chunk, nl + 1);
        continue;
      }
      if (this.carryBytes) {
        this.hold(chunk.subarray(pos, end));
        if (!this.skipping) this.emitBytes(Buffer.concat(this.carry), 0, this.carryBytes);
        else this.skipping = false;
        this.carry = [];
        this.carryBytes = 0;
      } else if (end - pos > this.maxLineBytes) {
        this.emitBytes(chunk, pos, pos + this.maxLineBytes, true);
      } else {
        this.emitBytes(chunk, pos, end);
      }
      if (this.outOfText) return;
      this.lineNo++;
      pos = nl + 1;
    }
  }

  /**
   * Whether no sink needs the whole line chunk[pos, end): it holds no needle,
   * does not start with a start byte, is short enough that it cannot be cut
   * (cut lines are reported), and no sink still wants every line. Lines
   * carried over from the previous chunk are never skipped (one per chunk).
   */
  private canSkip(chunk: Buffer, pos: number, end: number): boolean {
    const f = this.filter!;
    if (this.sawNul) return false; // NULs are dropped after decoding, which could join a needle's bytes
    if (end - pos > this.ctx.limits.maxLineLength) return false;
    if (end > pos && f.start[chunk[pos]!]) return false;
    if (this.warming && this.stillWarming()) return false;
    if (this.hitsIn !== chunk) {
      this.hitsIn = chunk;
      this.hits = f.keys.map(() => -2);
      this.nextHit = -1;
    }
    if (pos > this.nextHit) this.nextHit = this.findNextHit(chunk, pos);
    return this.nextHit >= end;
  }

  /**
   * After a line canSkip passed over: passes over the lines that follow it
   * for the same reasons, up to the line of the next needle, in a loop that
   * does only that (most lines of a big log go this way). Whatever canSkip
   * checked once per chunk or for good (NUL bytes, warming) still holds.
   */
  private skipMore(chunk: Buffer, pos: number): number {
    const hit = this.nextHit;
    const { start } = this.filter!;
    const max = this.ctx.limits.maxLineLength;
    let lines = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      // hit >= pos: the line [pos, nl) holds it when nl is past it.
      if (nl < 0 || nl > hit || nl - pos > max || (nl > pos && start[chunk[pos]!])) break;
      lines++;
      pos = nl + 1;
    }
    this.lineNo += lines;
    return pos;
  }

  /**
   * Moves every key's next needle to at or after pos; the least of them. A
   * position is that of the key inside its needle: on the needle's line,
   * since a needle holds no newline.
   */
  private findNextHit(chunk: Buffer, pos: number): number {
    const { keys } = this.filter!;
    const hits = this.hits;
    let min = Infinity;
    for (let i = 0; i < keys.length; i++) {
      let h = hits[i]!;
      if (h !== -1 && h < pos) hits[i] = h = nextNeedle(chunk, keys[i]!, pos);
      if (h >= 0 && h < min) min = h;
    }
    return min;
  }

  private stillWarming(): boolean {
    for (const s of this.sinks) if (s.sink.wantsEveryLine?.()) return true;
    this.warming = false;
    return false;
  }

  /** Keeps the start of a line that goes on in the next chunk; past the cap, emits what it has and skips the rest. */
  private hold(part: Buffer): void {
    if (this.carryBytes + part.length > this.maxLineBytes) {
      const room = this.maxLineBytes - this.carryBytes;
      if (room > 0) this.carry.push(part.subarray(0, room));
      this.emitBytes(Buffer.concat(this.carry), 0, this.maxLineBytes, true);
      this.carry = [];
      this.carryBytes = 0;
      this.skipping = true;
      return;
    }
    this.carry.push(Buffer.from(part));
    this.carryBytes += part.length;
  }

  private emitBytes(buf: Buffer, start: number, end: number, cut = false): void {
    if (end > start && buf[end - 1] === 13) end--;
    let line = buf.toString('utf8', start, end);
    if (this.sawNul && line.includes('\u0000')) line = line.replaceAll('\u0000', '');
    const max = this.ctx.limits.maxLineLength;
    if (cut || line.length > max) {
      this.noteLongLine();
      if (line.length > max) line = line.slice(0, max);
    }
    this.emit(line);
  }

  private noteLongLine(): void {
    if (!this.longLines++) this.firstLongLine = this.origin ? this.origin.of(this.lineNo) : this.lineNo;
  }

  private emit(line: string): void {
    // Lines handed to readers are what reading costs (the prefilter passes the rest over cheaply): they are charged to the input's budget.
    const budget = this.slicer?.takeText;
    if (budget && this.slicer!.takeText!(line.length + 1, this.item.member) < line.length + 1) {
      if (!this.delivered) this.slicer!.skippedText?.();
      this.outOfText = this.stoppedAtLimit = true;
      return;
    }
    this.delivered++;
    const n = this.origin ? this.origin.of(this.lineNo) : this.lineNo;
    for (let i = 0; i < this.sinks.length; i++) {
      const s = this.sinks[i]!;
      try {
        s.sink.line(line, n);
      } catch (e) {
        // Readers must not throw; if one does, it is dropped rather than failing the whole log.
        this.problems.push(problemOf(this.item, 'reader.failed', `${s.id} failed at line ${n}: ${(e as Error).message}`));
        this.sinks.splice(i--, 1);
      }
    }
  }

  /** Ends every reader and collects what they found (also after a failure mid-file: facts read so far are kept). */
  end(): { facts: Fact[]; problems: Problem[] } {
    // A line cut by the log byte limit is not handed over half-read.
    if (!this.skipping && !this.stoppedAtLimit && this.carryBytes) this.emitBytes(Buffer.concat(this.carry), 0, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    this.hitsIn = undefined;
    const facts: Fact[] = [];
    const problems = this.problems;
    if (this.longLines) {
      problems.push(
        problemOf(
          this.item,
          'text.line_too_long',
          `${this.longLines === 1 ? `line ${this.firstLongLine} is` : `${this.longLines} lines (first: line ${this.firstLongLine}) are`} longer than ${this.ctx.limits.maxLineLength} characters; only the start of each was read`,
        ),
      );
    }
    for (const s of this.sinks) {
      try {
        const res = s.sink.end();
        // A loop, not push(...): a log of 500 000 status lines yields more facts than a call may take arguments.
        for (const f of res.facts) facts.push(f);
        for (const p of res.problems) problems.push(p);
      } catch (e) {
        problems.push(problemOf(this.item, 'reader.failed', `${s.id} failed at the end: ${(e as Error).message}`));
      }
    }
    this.sinks.length = 0;
    return { facts, problems };
  }
}
