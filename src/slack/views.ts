import { createHash, randomUUID } from 'node:crypto';
import type { CaseService, CaseSnapshot, FeedbackPackage } from '../case/index.js';
import type { QuestionReport } from '../report/types.js';
import type { CaseRef, CaseView, ScanInput, ScanNote, ScanOutput } from './workers/jobs.js';
import type { RunOptions, Runner } from './workers/runner.js';

/** Threads whose last view is kept in memory (a view is the summary and a gist: a few KB). */
const KEPT_VIEWS = 500;
/** A Feedback draft may wait for a model to polish it. */
const FEEDBACK_JOB_MS = 5 * 60_000;
/** Beyond a scan's own download and read limits, before its worker is stopped as stuck. */
const SCAN_MARGIN_MS = 60_000;

/** A case's version: its evidence batch ids and its answers (equal versions, equal reports). */
function versionOf(s: CaseSnapshot): string {
  return `${s.batchIds.join(',')}|${createHash('sha256').update(JSON.stringify(s.answers)).digest('hex').slice(0, 16)}`;
}

/**
 * The bot's side of its cases: the latest view of each thread (its summary
 * and what replies compare against), kept while the case's evidence and
 * answers stay the same, and everything that needs a case's report done
 * where the report is kept (a case worker, see work/). Reading a view costs
 * one small query of the store; only a changed case is evaluated again.
 */
export class CaseViews {
  private readonly kept = new Map<string, CaseView>();
  private readonly evaluating = new Map<string, Promise<CaseView>>();
  /** This bot's name for its cases in the workers' memory. */
  private readonly scope = randomUUID();

  constructor(
    private readonly cases: CaseService,
    private readonly runner: Runner,
  ) {}

  private async ref(key: string): Promise<CaseRef | undefined> {
    const snap = await this.cases.snapshot(key);
    return snap && { scope: this.scope, key, version: versionOf(snap), batchIds: snap.batchIds, answers: snap.answers };
  }

  /** What a case job needs from this thread: its worker, and the stored evidence it asks for. */
  private caseJob(key: string): RunOptions {
    return { affinity: key, onAsk: ({ batches }) => this.cases.evidenceJson(key, batches) };
  }

  /** The case as it stands; evaluated again only when its evidence or answers changed. Undefined when there is no such case. */
  async current(key: string): Promise<CaseView | undefined> {
    const ref = await this.ref(key);
    if (!ref) return undefined;
    const kept = this.kept.get(key);
    if (kept?.version === ref.version) return kept;
    const id = `${key}\n${ref.version}`;
    let p = this.evaluating.get(id);
    if (!p) {
      p = this.runner.run('view', { ref }, this.caseJob(key)).finally(() => this.evaluating.delete(id));
      this.evaluating.set(id, p);
    }
    const view = await p;
    this.keep(key, view);
    return view;
  }

  /** The last view this process saw of a thread, without asking the store (e.g. the headline under a progress line). */
  peek(key: string): CaseView | undefined {
    return this.kept.get(key);
  }

  private keep(key: string, view: CaseView): void {
    this.kept.delete(key);
    this.kept.set(key, view);
    if (this.kept.size > KEPT_VIEWS) this.kept.delete(this.kept.keys().next().value!);
  }

  private async withRef<T>(key: string, run: (ref: CaseRef) => Promise<T>): Promise<T> {
    const ref = await this.ref(key);
    if (!ref) throw new Error('this diagnosis no longer exists');
    return run(ref);
  }

  /** The full report as Markdown (secrets masked) and a hash of it. */
  markdown(key: string): Promise<{ markdown: string; hash: string }> {
    return this.withRef(key, (ref) => this.runner.run('markdown', { ref }, this.caseJob(key)));
  }

  /** The push timeline picture, or null with fewer than two timed events. */
  async timeline(key: string): Promise<Buffer | null> {
    const png = await this.withRef(key, (ref) => this.runner.run('timeline', { ref }, this.caseJob(key)));
    return png && Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  }

  /** The questions the summary leaves out. */
  moreQuestions(key: string): Promise<QuestionReport[]> {
    return this.withRef(key, (ref) => this.runner.run('moreQuestions', { ref }, this.caseJob(key)));
  }

  /** The Apple Feedback package, or null until every known cause is ruled out. */
  async feedback(key: string, options: { redact?: boolean }): Promise<FeedbackPackage | null> {
    const pkg = await this.withRef(key, (ref) => this.runner.run('feedback', { ref, options }, { ...this.caseJob(key), timeoutMs: FEEDBACK_JOB_MS }));
    return pkg && { ...pkg, timeline: pkg.timeline && Buffer.from(pkg.timeline.buffer, pkg.timeline.byteOffset, pkg.timeline.byteLength) };
  }

  /** Downloads and reads a file where files are read, with its progress as it goes. */
  scan(input: ScanInput, onNote: (n: ScanNote) => void): Promise<ScanOutput> {
    // The download and the read stop themselves at their limits; past those, the reader is stuck where it cannot see its clock.
    const timeoutMs = input.download.totalTimeoutMs + input.limits.timeoutMs + SCAN_MARGIN_MS;
    return this.runner.run('scan', input, { onNote, timeoutMs });
  }

  /** Diagnoses run so far by the worker that keeps this thread's case (tests, the bench). */
  stats(key: string): Promise<{ evaluations: number; cases: number }> {
    return this.runner.run('stats', {}, { affinity: key });
  }
}
