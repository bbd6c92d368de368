import { StringDecoder } from 'node:string_decoder';
import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, type Item, type LineReader, type LineSink, type ReadContext } from '../types.js';

/**
 * Feeds text to line readers as its chunks arrive, so a 200 MB log is never
 * held whole: at most one line (capped at maxLineLength) is carried between
 * chunks, and the rest of an over-long line is skipped without decoding it.
 */
/** Hands the event loop back when a slice of work has been long (see Scan). */
export interface Slicer {
  shouldYield(): boolean;
  yieldNow(): Promise<void>;
}

/** Lines between two looks at the clock: cheap enough, and slow readers still yield in time. */
const LINES_PER_CHECK = 32;

export class LineFeeder {
  private readonly sinks: { id: string; sink: LineSink }[] = [];
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  /** Inside an over-long line: bytes are dropped until the next newline. */
  private skipping = false;
  private lineNo = 1;
  private sinceCheck = 0;
  private bytes = 0;
  private stoppedAtLimit = false;
  private sawNul = false;
  private longLines = 0;
  private firstLongLine = 0;
  readonly problems: Problem[] = [];

  constructor(
    private readonly item: Item,
    readers: readonly LineReader[],
    private readonly ctx: ReadContext,
    private readonly slicer?: Slicer,
  ) {
    for (const r of readers) {
      try {
        this.sinks.push({ id: r.id, sink: r.open(item, ctx) });
      } catch (e) {
        this.problems.push(problemOf(item, 'reader.failed', `${r.id} could not start reading it: ${(e as Error).message}`));
      }
    }
  }

  /**
   * Feeds one chunk; false once the log byte limit is reached (the caller
   * drains the rest). A promise when slow readers made it pause for the loop.
   */
  write(chunk: Buffer): boolean | Promise<boolean> {
    if (this.stoppedAtLimit) return false;
    const { maxLogBytes } = this.ctx.limits;
    if (this.bytes + chunk.length > maxLogBytes) {
      chunk = chunk.subarray(0, Math.max(0, maxLogBytes - this.bytes));
      this.stoppedAtLimit = true;
      this.problems.push(problemOf(this.item, 'log.truncated', `is longer than the log limit of ${maxLogBytes} bytes; only the first ${maxLogBytes} bytes were read`));
    }
    this.bytes += chunk.length;
    let start = 0;
    if (this.skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) return !this.stoppedAtLimit;
      this.skipping = false;
      this.lineNo++;
      start = nl + 1;
    }
    if (chunk.indexOf(0, start) >= 0) {
      if (!this.sawNul) this.problems.push(problemOf(this.item, 'text.nul', 'holds NUL bytes; read as text anyway, the NUL bytes ignored'));
      this.sawNul = true;
    }
    let text = this.decoder.write(start ? chunk.subarray(start) : chunk);
    if (this.sawNul && text.includes('\u0000')) text = text.replace(/\u0000/g, '');
    const r = this.feedText(text, 0);
    return r ? r.then(() => !this.stoppedAtLimit) : !this.stoppedAtLimit;
  }

  private feedText(text: string, from: number): void | Promise<void> {
    const max = this.ctx.limits.maxLineLength;
    let pos = from;
    for (;;) {
      if (this.slicer && ++this.sinceCheck === LINES_PER_CHECK) {
        this.sinceCheck = 0;
        if (this.slicer.shouldYield()) {
          const at = pos;
          return this.slicer.yieldNow().then(() => this.feedText(text, at));
        }
      }
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      let line = this.carry ? this.carry + text.slice(pos, nl) : text.slice(pos, nl);
      this.carry = '';
      if (line.length > max) {
        this.noteLongLine();
        line = line.slice(0, max);
      }
      this.emit(line);
      this.lineNo++;
      pos = nl + 1;
    }
    if (pos < text.length) {
      const rest = pos ? text.slice(pos) : text;
      if (this.carry.length + rest.length > max) {
        // Keep the head of the over-long line, skip the rest of it cheaply.
        const line = (this.carry + rest).slice(0, max);
        this.carry = '';
        this.noteLongLine();
        this.emit(line);
        this.skipping = true;
        this.decoder.end();
      } else {
        this.carry += rest;
      }
    }
  }

  private noteLongLine(): void {
    if (!this.longLines++) this.firstLongLine = this.lineNo;
  }

  private emit(line: string): void {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const n = this.lineNo;
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
    if (!this.skipping && !this.stoppedAtLimit) {
      const tail = this.carry + this.decoder.end();
      if (tail.length) this.emit(tail.slice(0, this.ctx.limits.maxLineLength));
    }
    this.carry = '';
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
        facts.push(...res.facts);
        problems.push(...res.problems);
      } catch (e) {
        problems.push(problemOf(this.item, 'reader.failed', `${s.id} failed at the end: ${(e as Error).message}`));
      }
    }
    this.sinks.length = 0;
    return { facts, problems };
  }
}
