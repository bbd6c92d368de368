import type { Readable } from 'node:stream';
import { interpretAnswer, type Answer } from '../engine/answers.js';
import type { Diagnosis } from '../engine/diagnose.js';
import type { RuleSet } from '../engine/loadRules.js';
import { prepareFeedback, type FeedbackPackage } from '../escalation/index.js';
import { serverValues } from '../evidence/paste/serverValues.js';
import { readPath, readStream } from '../evidence/read.js';
import { DEFAULT_LIMITS, type Limits, type Progress, type ReadResult } from '../evidence/types.js';
import type { Problem } from '../facts/schema.js';
import { questionReport } from '../report/build.js';
import type { QuestionReport, Report } from '../report/types.js';
import type { CaseSnapshot, CaseStore, EvidenceJson, CaseInfo, CaseState } from '../store/types.js';
import { describeChanges } from './changes.js';
import { readPasted } from './collect.js';
import { evaluateCase, shippedRules } from './report.js';
import type { ServerValues } from './serverValues.js';

/** What reading one input gave, before it is added to a case. */
export type { ReadResult };

/** What adding evidence or an answer did to the diagnosis. */
export interface Outcome {
  before: Report | undefined;
  report: Report;
  diagnosis: Diagnosis;
  /** Facts the new input contributed (0: nothing recognised). */
  newFacts: number;
  /** Problems the new input produced (unreadable file, malformed value, a paste with nothing in it). */
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

export type AnswerCheck = { ok: true } | { ok: false; message: string };

/** What storing an input added, before anyone re-runs the diagnosis. */
export interface Recorded {
  /** Facts the input contributed (0: nothing recognised). */
  newFacts: number;
  /** Problems the input produced. */
  newProblems: Problem[];
}

/** An answer stored (or why not), before anyone re-runs the diagnosis. */
export type AnswerRecord = { ok: false; message: string } | { ok: true; newFacts: number; superseded?: Answer; supersededBy?: Answer };

/** What a reader in another thread hands back: facts and problems as JSON text, and what they count. */
export interface ReadJson extends Recorded {
  facts: string;
  problems: string;
}

export type { CaseSnapshot, EvidenceJson };

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

export interface PasteOptions {
  /**
   * false: said in passing (chatter in a thread being diagnosed), so a paste
   * with nothing in it stays quiet. Default true: given on purpose, it gets
   * the same problem the CLI reports for it.
   */
  onPurpose?: boolean;
}

const CASE_GONE = 'This diagnosis no longer exists (it may have been purged after the retention period).';

/**
 * The one door into the pipeline for a case that lives on: evidence and
 * answers arrive over time (a Slack thread, the terminal), each addition
 * re-runs the engine and says what changed. All state is in the CaseStore,
 * so a restart (or another replica on the same database) continues where
 * one process stopped. Reading a file needs no lock; applying what was read
 * takes the thread's lock in the store, so the "what changed" of each
 * addition is measured against the one before it, whichever process made it.
 */
export class CaseService {
  readonly rules: RuleSet;
  /** The limits every reader of this service's cases uses (a reader in a worker thread is handed them). */
  readonly limits: Limits;

  constructor(
    private readonly store: CaseStore,
    opts: { rules?: RuleSet; limits?: Partial<Limits> } = {},
  ) {
    this.rules = opts.rules ?? shippedRules();
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
  }

  async open(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): Promise<CaseInfo> {
    return this.store.openCase(key, init);
  }

  async has(key: string): Promise<boolean> {
    return this.store.hasCase(key);
  }

  async get(key: string): Promise<CaseState | undefined> {
    return this.store.getCase(key);
  }

  /** A question of the rules as the report offers it (text, answer type, buttons). */
  question(id: string): QuestionReport | undefined {
    const q = this.rules.questions.find((x) => x.id === id);
    return q && questionReport(q);
  }

  /** Whether a typed answer fits its question, and if not why (the Slack modal shows it under the field). */
  checkAnswer(questionId: string, raw: string): AnswerCheck {
    const check = this.interpret(questionId, raw);
    return check.ok ? { ok: true } : check;
  }

  private interpret(questionId: string, raw: string): ReturnType<typeof interpretAnswer> {
    const q = this.rules.questions.find((x) => x.id === questionId);
    return q ? interpretAnswer(q, raw) : { ok: false, message: `There is no question ${questionId}.` };
  }

  /** The diagnosis as the stored evidence and answers stand now. */
  async current(key: string): Promise<{ diagnosis: Diagnosis; report: Report }> {
    const s = await this.store.getCase(key);
    if (!s) throw new Error(`no case ${key}`);
    return this.evaluate(s);
  }

  /** The Apple Feedback package (draft, checklist, timeline picture) for the case as it stands; null until every known cause is ruled out. */
  async feedback(key: string, options: Parameters<typeof prepareFeedback>[1] = {}): Promise<{ report: Report; feedback: FeedbackPackage | null }> {
    const { report } = await this.current(key);
    return { report, feedback: report.escalation ? await prepareFeedback(report, options) : null };
  }

  private evaluate(s: CaseState): { diagnosis: Diagnosis; report: Report } {
    return evaluateCase(s.evidence, s.answers, this.rules);
  }

  /**
   * What the case's diagnosis depends on, without its facts (cheap): a
   * front end that keeps the last report of a case reuses it while this
   * stays the same. Undefined when there is no such case.
   */
  snapshot(key: string): Promise<CaseSnapshot | undefined> {
    return this.store.caseSnapshot(key);
  }

  /** Evidence batches as stored (facts as JSON text), for an evaluation in another thread. */
  evidenceJson(key: string, ids: readonly string[]): Promise<(EvidenceJson & { id: string })[]> {
    return this.store.evidenceJson(key, ids);
  }

  /**
   * Stores what was read without re-running the diagnosis: a contribution
   * of several inputs is evaluated once, by whoever shows it.
   */
  record(key: string, input: string, who: Who, r: ReadResult): Promise<Recorded> {
    // Chatter in a thread holds nothing: stored, it would only change the case's version and cost a diagnosis.
    if (!r.facts.length && !r.problems.length) return Promise.resolve({ newFacts: 0, newProblems: [] });
    return this.store.withThreadLock(key, async () => {
      await this.store.addEvidence(key, { input, facts: r.facts, problems: r.problems, ...(who.by ? { addedBy: who.by } : {}), addedAt: who.at });
      return { newFacts: r.facts.length, newProblems: r.problems };
    });
  }

  /** The same for facts already serialised where they were read (a worker thread): nothing is parsed here. */
  recordJson(key: string, input: string, who: Who, r: ReadJson): Promise<Recorded> {
    return this.store.withThreadLock(key, async () => {
      await this.store.addEvidenceJson(key, { input, facts: r.facts, problems: r.problems, ...(who.by ? { addedBy: who.by } : {}), addedAt: who.at });
      return { newFacts: r.newFacts, newProblems: r.newProblems };
    });
  }

  /** A paste, read here (pastes are small) and stored without re-running the diagnosis. */
  async recordPaste(key: string, text: string, label: string, who: Who, opts: PasteOptions = {}): Promise<Recorded> {
    return this.record(key, label, who, await readPasted(text, label, { limits: this.limits }, opts.onPurpose ?? true));
  }

  /** The MDM server's values, stored without re-running the diagnosis. */
  recordServerValues(key: string, values: ServerValues, label: string, who: Who): Promise<Recorded> {
    return this.record(key, label, who, serverValues(values, label));
  }

  /** An answer checked against its question and stored (see answer()), without re-running the diagnosis. */
  recordAnswer(key: string, answer: Answer): Promise<AnswerRecord> {
    return this.store.withThreadLock(key, async (): Promise<AnswerRecord> => {
      const check = this.interpret(answer.question, answer.value);
      if (!check.ok) return { ok: false, message: check.message };
      if (!(await this.store.hasCase(key))) return { ok: false, message: CASE_GONE };
      const placed = await this.store.addAnswer(key, answer);
      return {
        ok: true,
        newFacts: check.value === null ? 0 : 1,
        ...(placed.superseded ? { superseded: placed.superseded } : {}),
        ...(placed.supersededBy ? { supersededBy: placed.supersededBy } : {}),
      };
    });
  }

  /** The report as the case stands, or undefined while it holds nothing yet. */
  async reportSoFar(key: string): Promise<Report | undefined> {
    const s = await this.store.getCase(key);
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

  /** Reads a downloaded file into facts without touching the case (the slow part, done outside any lock). */
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
  addPaste(key: string, text: string, label: string, who: Who, opts: PasteOptions = {}): Promise<Outcome> {
    return this.addResult(key, label, who, () => readPasted(text, label, { limits: this.limits }, opts.onPurpose ?? true));
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
      const check = this.interpret(answer.question, answer.value);
      if (!check.ok) return { ok: false, message: check.message };
      const s = await this.store.getCase(key);
      if (!s) return { ok: false, message: CASE_GONE };
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
