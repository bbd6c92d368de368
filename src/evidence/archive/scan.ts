import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { FactFolder } from '../../facts/fold.js';
import type { Fact, Problem } from '../../facts/schema.js';
import type { Limits, Progress, ReadContext, Reader } from '../types.js';
import type { ChunkSink } from './sink.js';

/**
 * Why a scan stopped early. Thrown through the stream machinery so every
 * layer unwinds; the top level turns it into the problem it carries.
 */
export class ScanStop extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly member?: string,
  ) {
    super(message);
  }
}

/**
 * Opens a tar or zip met inside the input. Passed in where scans are made
 * (nested.ts): the archive parsers create Members, so member.ts cannot import
 * them without an import cycle.
 */
export type ArchiveOpener = (kind: 'tar' | 'zip', scan: Scan, member: string | undefined, prefix: string, depth: number, isInput?: boolean) => ChunkSink;

const noNestedArchives: ArchiveOpener = () => {
  throw new Error('this scan was made without an archive opener');
};

/** Problems kept per input before the rest are only counted (a tar of 200 000 bad entries must not flood the report). */
const MAX_PROBLEMS = 100;
/**
 * Longest stretch of synchronous work between two visits to the event loop.
 * Short, for two reasons: the bot keeps answering, and each visit lets zlib's
 * callback start inflating the next buffer on the threadpool, so inflating
 * runs ahead of the parsing instead of waiting for it (see gzip.ts).
 */
const SLICE_MS = 5;
const PROGRESS_BYTES = 64 * 1024;
const PROGRESS_MS = 100;

/**
 * The state of reading one input: what was found, what went wrong, and the
 * budgets (bytes in, bytes expanded, entries, time) every layer charges.
 */
export class Scan {
  /** Facts found and not yet handed to the folder (all of them, without one). */
  readonly facts: Fact[] = [];
  readonly problems: Problem[] = [];
  inputBytes = 0;
  expandedBytes = 0;
  entries = 0;
  /** Characters of lines handed to line readers (all members), against limits.maxTextBytes. */
  textBytes = 0;
  /** Bytes written to spool files, against limits.maxSpoolBytes. */
  spooledBytes = 0;
  /** Text members not read at all because the text budget was spent before them. */
  private textSkipped = 0;
  /** The member being read now, for messages about failures that hit mid-member. */
  current: string | undefined;
  /** sysdiagnose folders already described, so each yields its device facts once. */
  readonly sysdiagnoseSeen = new Set<string>();
  /** Counts for the benchmark and for tests: how members were handled. */
  readonly counts = { buffered: 0, lines: 0, drained: 0, nested: 0 };

  /** Facts already handed to the folder; those before `settledHead` in `facts` are among them. */
  private settled = 0;
  private settledHead = 0;
  /** Members being read whose facts may still be taken back (see mark). */
  private pins = 0;
  private droppedProblems = 0;
  /** Problems added past the cap because they must be seen (why reading stopped). */
  private kept = 0;
  private lastYield = performance.now();
  private lastProgressAt = 0;
  private lastProgressBytes = 0;
  private readonly controller = new AbortController();
  private stopReason: ScanStop | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly onOuterAbort = () => this.stop(new ScanStop('input.cancelled', 'reading was cancelled before it finished'));

  constructor(
    readonly input: string,
    readonly limits: Limits,
    readonly readers: readonly Reader[],
    private readonly ctx: ReadContext,
    readonly totalBytes?: number,
    readonly openArchive: ArchiveOpener = noNestedArchives,
    /**
     * Where facts are folded as the scan goes (facts/fold.ts), rather than
     * all at the end: a bundle's thousands of log events are let go while
     * the rest of it is still inflating, and folding them costs no time
     * after the last byte.
     */
    private readonly folder?: FactFolder,
  ) {
    if (limits.timeoutMs > 0 && Number.isFinite(limits.timeoutMs)) {
      this.timer = setTimeout(
        () => this.stop(new ScanStop('input.timeout', `reading took longer than the time limit of ${limits.timeoutMs} ms; stopped`, this.current)),
        limits.timeoutMs,
      );
      this.timer.unref();
    }
    if (ctx.signal?.aborted) this.onOuterAbort();
    else ctx.signal?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  /** Aborted when a limit or the clock stops the scan; streams listen to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): ScanStop | undefined {
    return this.stopReason;
  }

  stop(reason: ScanStop): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.controller.abort(reason);
  }

  /** Throws the stop reason, if any; called once per chunk. */
  check(): void {
    if (this.stopReason) throw this.stopReason;
  }

  finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.ctx.signal?.removeEventListener('abort', this.onOuterAbort);
    if (this.textSkipped) {
      this.problems.push({
        input: this.input,
        code: 'input.text_skipped',
        message: `${this.textSkipped} more text files were not read: the text limit was reached before them`,
      });
      this.kept++;
    }
    if (this.droppedProblems) {
      this.problems.push({
        input: this.input,
        code: 'input.more_problems',
        message: `${this.droppedProblems} more problems of the same kinds were found and not listed`,
      });
    }
  }

  problem(code: string, message: string, member?: string): void {
    if (this.problems.length >= MAX_PROBLEMS + this.kept) {
      this.droppedProblems++;
      return;
    }
    this.problems.push({ input: this.input, ...(member ? { member } : {}), code, message });
  }

  /**
   * The problem that says why reading stopped (a size, entry or time limit,
   * a cancel): always listed, however many problems came before it, since it
   * is what explains everything missing after it.
   */
  stopProblem(stop: ScanStop): void {
    if (this.problems.some((p) => p.code === stop.code && p.message === stop.message)) return;
    this.problems.push({ input: this.input, ...(stop.member ? { member: stop.member } : {}), code: stop.code, message: stop.message });
    this.kept++;
  }

  /** Charges bytes read from the input itself (compressed). */
  addInput(n: number): void {
    this.inputBytes += n;
    if (this.inputBytes > this.limits.maxInputBytes) {
      this.stop(new ScanStop('input.too_large', `is larger than the input limit of ${this.limits.maxInputBytes} bytes; stopped after reading that much`));
    }
    this.check();
    this.progress();
  }

  /** Charges bytes that came out of a decompressor or an archive, all members together. */
  addExpanded(n: number): void {
    this.expandedBytes += n;
    if (this.expandedBytes > this.limits.maxExpandedBytes) {
      this.stop(
        new ScanStop(
          'archive.too_large_expanded',
          `expands to more than the limit of ${this.limits.maxExpandedBytes} bytes (a decompression bomb or a far larger archive than expected); stopped there`,
          this.current,
        ),
      );
    }
    this.check();
  }

  /**
   * Grants up to n characters of lines handed to line readers; fewer (down
   * to 0) once the input's text budget is spent. The member where it runs
   * out is named in a problem that is always listed; members after it are
   * only counted.
   */
  takeText(n: number, member: string | undefined): number {
    const room = this.limits.maxTextBytes - this.textBytes;
    const granted = Math.max(0, Math.min(n, room));
    this.textBytes += granted;
    if (granted < n && room > 0) {
      this.stopProblem(
        new ScanStop(
          'input.text_budget',
          `holds more log lines worth reading than the limit of ${this.limits.maxTextBytes} bytes of them per input; the limit was reached here, so the rest of this file and the text files after it were skipped (plists, profiles and certificates were still read)`,
          member,
        ),
      );
    }
    return granted;
  }

  /** A text member that got no text at all (the budget was spent before it). */
  skippedText(): void {
    this.textSkipped++;
  }

  /** Charges bytes spooled to the temp dir; stops the scan past limits.maxSpoolBytes. */
  addSpooled(n: number, member: string | undefined): void {
    this.spooledBytes += n;
    if (this.spooledBytes > this.limits.maxSpoolBytes) {
      this.stop(
        new ScanStop(
          'archive.spool_too_large',
          `holds a zip that would take more than ${this.limits.maxSpoolBytes} bytes of temporary space to read (zip data inside a stream or another archive is written to disk to be read); stopped there`,
          member,
        ),
      );
      this.check();
    }
  }

  /**
   * Where the findings stand now, to take back what one member added (see
   * rollback). Until `release`, its facts stay out of the folder.
   */
  mark(): { facts: number; problems: number } {
    this.pins++;
    return { facts: this.facts.length, problems: this.problems.length };
  }

  /** Forgets the facts and problems added since `at`: a member found damaged afterwards must not count. */
  rollback(at: { facts: number; problems: number }): void {
    this.facts.length = Math.min(this.facts.length, at.facts);
    this.problems.length = Math.min(this.problems.length, at.problems);
  }

  /** The member of a mark was read (or rolled back): its facts may be folded. */
  release(): void {
    this.pins--;
  }

  /** Facts found so far, folded or not. */
  get factCount(): number {
    return this.settled + this.facts.length - this.settledHead;
  }

  /**
   * Hands facts found so far to the folder, in the order they were found (so
   * the folded result is the one folding them all at the end gives), for at
   * most about `ms`. Not while a member that may be taken back is being read.
   * Whether facts are left to hand over.
   */
  settle(ms = SLICE_MS): boolean {
    const facts = this.facts;
    if (!this.folder || this.pins > 0) return false;
    const start = performance.now();
    let i = this.settledHead;
    while (i < facts.length) {
      this.folder.add(facts[i]!);
      i++;
      if ((i & 255) === 0 && performance.now() - start > ms) break;
    }
    this.settled += i - this.settledHead;
    if (i < facts.length) {
      this.settledHead = i;
      return true;
    }
    facts.length = 0;
    this.settledHead = 0;
    return false;
  }

  /** Every fact to the folder, in slices (a server log's 500 000 facts arrive at once, when it ends). */
  async settleAll(): Promise<void> {
    while (this.settle()) await nextMacrotask();
  }

  /** Counts one archive entry (file, folder, link) against the entry limit. */
  addEntry(member: string): void {
    if (++this.entries > this.limits.maxEntries) {
      this.stop(new ScanStop('archive.too_many_entries', `holds more than the limit of ${this.limits.maxEntries} entries; stopped there`, member));
      this.check();
    }
  }

  /** The last progress report of an input. */
  done(): void {
    const report = this.ctx.onProgress;
    if (!report) return;
    try {
      report({ input: this.input, stage: 'done', bytesRead: this.inputBytes, ...(this.totalBytes !== undefined ? { totalBytes: this.totalBytes } : {}) });
    } catch {
      // As above: progress is best effort.
    }
  }

  progress(force = false): void {
    const report = this.ctx.onProgress;
    if (!report) return;
    const now = performance.now();
    if (!force && (this.inputBytes - this.lastProgressBytes < PROGRESS_BYTES || now - this.lastProgressAt < PROGRESS_MS)) return;
    this.lastProgressAt = now;
    this.lastProgressBytes = this.inputBytes;
    const p: Progress = {
      input: this.input,
      stage: 'scanning',
      bytesRead: this.inputBytes,
      ...(this.totalBytes !== undefined ? { totalBytes: this.totalBytes } : {}),
      ...(this.current ? { member: this.current } : {}),
    };
    try {
      report(p);
    } catch {
      // A progress callback that fails must not fail the read.
    }
  }

  /** Whether the current slice of synchronous work has run long enough to hand the loop back. */
  shouldYield(): boolean {
    return performance.now() - this.lastYield > SLICE_MS;
  }

  /** Lets timers and I/O run (the Slack bot stays responsive during a scan). */
  async yieldNow(): Promise<void> {
    this.settle();
    await nextMacrotask();
    this.lastYield = performance.now();
  }

  markYielded(): void {
    this.lastYield = performance.now();
  }
}
