import type { Readable } from 'node:stream';
import { interpretAnswer, type Answer } from '../engine/answers.js';
import { diagnose, type Diagnosis } from '../engine/diagnose.js';
import { loadRules, type RuleSet } from '../engine/loadRules.js';
import type { Question } from '../engine/ruleSchema.js';
import { serverValues } from '../evidence/paste/serverValues.js';
import { readPaste, readPath, readStream } from '../evidence/read.js';
import { DEFAULT_LIMITS, type Limits, type Progress, type ReadResult } from '../evidence/types.js';
import type { Fact, Problem } from '../facts/schema.js';
import { buildReport } from '../report/build.js';
import type { Report } from '../report/types.js';
import type { SessionInfo, SessionState, Store } from '../store/types.js';
import { describeChanges } from './changes.js';
import type { ServerValues } from './serverValues.js';

/** What reading one input gave, before it is added to a session. */
export type { ReadResult };

/** What adding evidence or an answer did to the diagnosis. */
export interface Outcome {
  before: Report | undefined;
  report: Report;
  diagnosis: Diagnosis;
  /** Facts the new input contributed (0: nothing recognised). */
  newFacts: number;
  /** Problems the new input produced (unreadable file, malformed value). */
  newProblems: Problem[];
  /** Cause status changes, in words. */
  changes: string[];
}

export type AnswerOutcome =
  | { ok: false; message: string }
  | (Outcome & {
      ok: true;
      /** The answer this one replaced. */
      superseded?: Answer;
      /** An answer given after this one (recorded first, elsewhere): it still stands. */
      supersededBy?: Answer;
    });

export interface Who {
  /** Slack user id, "terminal", … */
  by?: string;
  /** ISO time of the action (from the Slack payload, or the terminal's clock). */
  at: string;
}

export interface FileInput {
  name: string;
  stream: Readable;
  size?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Problems only known once the stream has ended (a download cut at the size cap), stored with the file's evidence. */
  problemsAfterRead?: () => Problem[];
}

/**
 * One guided diagnosis per session key, used by the Slack bot and the
 * terminal alike: add evidence and answers, re-run the engine, get the
 * Report and what changed. All state lives in the Store, so a restart (or
 * another replica on the same database) continues where one process
 * stopped. Reading a file needs no lock; applying what was read takes the
 * thread's lock in the store, so the "what changed" of each addition is
 * measured against the one before it, whichever process made it.
 */
export class DiagnosisSessions {
  readonly rules: RuleSet;
  private readonly limits: Limits;

  constructor(
    readonly store: Store,
    opts: { rules?: RuleSet; limits?: Partial<Limits> } = {},
  ) {
    this.rules = opts.rules ?? loadRules();
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
  }

  open(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): Promise<SessionInfo> {
    return this.store.openSession(key, init);
  }

  has(key: string): Promise<boolean> {
    return this.store.hasSession(key);
  }

  get(key: string): Promise<SessionState | undefined> {
    return this.store.getSession(key);
  }

  question(id: string): Question | undefined {
    return this.rules.questions.find((q) => q.id === id);
  }

  /** The diagnosis as the stored evidence and answers stand now. */
  async current(key: string): Promise<{ diagnosis: Diagnosis; report: Report }> {
    const s = await this.store.getSession(key);
    if (!s) throw new Error(`no session ${key}`);
    return this.evaluate(s);
  }

  private evaluate(s: SessionState): { diagnosis: Diagnosis; report: Report } {
    const facts: Fact[] = s.evidence.flatMap((e) => e.facts);
    const problems: Problem[] = s.evidence.flatMap((e) => e.problems);
    const diagnosis = diagnose({ facts, answers: s.answers, problems }, this.rules);
    return { diagnosis, report: buildReport(diagnosis) };
  }

  /** The report as the session stands, or undefined while it holds nothing yet. */
  async reportSoFar(key: string): Promise<Report | undefined> {
    const s = await this.store.getSession(key);
    return s && (s.evidence.length || s.answers.length) ? this.evaluate(s).report : undefined;
  }

  /** Stores what was read and re-runs the diagnosis, under the thread's lock. */
  apply(key: string, input: string, who: Who, r: ReadResult): Promise<Outcome> {
    return this.store.withThreadLock(key, async () => {
      const before = await this.reportSoFar(key);
      await this.store.addEvidence(key, { input, facts: r.facts, problems: r.problems, ...(who.by ? { addedBy: who.by } : {}), addedAt: who.at });
      const { diagnosis, report } = await this.current(key);
      return { before, report, diagnosis, newFacts: r.facts.length, newProblems: r.problems, changes: describeChanges(before, report) };
    });
  }

  private async addResult(key: string, input: string, who: Who, read: () => Promise<ReadResult> | ReadResult): Promise<Outcome> {
    return this.apply(key, input, who, await read());
  }

  /** Reads a downloaded file into facts without touching the session (the slow part, done outside any lock). */
  async readFile(file: FileInput): Promise<ReadResult> {
    const ctx = { limits: this.limits, ...(file.onProgress ? { onProgress: file.onProgress } : {}), ...(file.signal ? { signal: file.signal } : {}) };
    const r = await readStream(file.name, file.stream, ctx, file.size);
    const after = file.problemsAfterRead?.() ?? [];
    return after.length ? { ...r, problems: [...r.problems, ...after] } : r;
  }

  /** A downloaded file, streamed into the evidence readers. */
  addFile(key: string, file: FileInput, who: Who): Promise<Outcome> {
    return this.addResult(key, file.name, who, () => this.readFile(file));
  }

  /** A file on disk (the terminal's example case). */
  addPath(key: string, path: string, who: Who): Promise<Outcome> {
    return this.addResult(key, path, who, () => readPath(path, { limits: this.limits }));
  }

  /** Text a person pasted; recognised values become facts with a "pasted" source. */
  addPaste(key: string, text: string, label: string, who: Who): Promise<Outcome> {
    return this.addResult(key, label, who, () => readPaste(text, label, { limits: this.limits }));
  }

  /** The MDM server's values, named by the person (so no side question is needed): the CLI flags' reader. */
  addServerValues(key: string, values: ServerValues, label: string, who: Who): Promise<Outcome> {
    return this.addResult(key, label, who, () => serverValues(values, label));
  }

  /**
   * Records an answer unless it does not fit the question. Answers to one
   * question are ordered by when they were given: the later one stands,
   * whichever reached a process first, and the outcome says which one it
   * replaced or which later one still stands.
   */
  answer(key: string, answer: Answer): Promise<AnswerOutcome> {
    return this.store.withThreadLock(key, async (): Promise<AnswerOutcome> => {
      const q = this.question(answer.question);
      if (!q) return { ok: false, message: `There is no question ${answer.question}.` };
      const check = interpretAnswer(q, answer.value);
      if (!check.ok) return { ok: false, message: check.message };
      const s = await this.store.getSession(key);
      if (!s) return { ok: false, message: 'This diagnosis session no longer exists (it may have been purged after the retention period).' };
      const before = this.evaluate(s).report;
      const placed = await this.store.addAnswer(key, answer);
      const { diagnosis, report } = await this.current(key);
      return {
        ok: true,
        before,
        report,
        diagnosis,
        newFacts: check.value === null ? 0 : 1,
        newProblems: [],
        changes: describeChanges(before, report),
        ...(placed.superseded ? { superseded: placed.superseded } : {}),
        ...(placed.supersededBy ? { supersededBy: placed.supersededBy } : {}),
      };
    });
  }
}
