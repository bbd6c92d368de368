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
import { KeyedLock } from './lock.js';
import type { ServerValues } from './serverValues.js';

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
  | (Outcome & { ok: true; superseded?: Answer });

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
 * Report and what changed. All state lives in the Store, so a restart
 * continues where the last process stopped.
 */
export class DiagnosisSessions {
  private readonly lock = new KeyedLock();
  readonly rules: RuleSet;
  private readonly limits: Limits;

  constructor(
    readonly store: Store,
    opts: { rules?: RuleSet; limits?: Partial<Limits> } = {},
  ) {
    this.rules = opts.rules ?? loadRules();
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
  }

  open(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): SessionInfo {
    return this.store.openSession(key, init);
  }

  has(key: string): boolean {
    return this.store.hasSession(key);
  }

  get(key: string): SessionState | undefined {
    return this.store.getSession(key);
  }

  question(id: string): Question | undefined {
    return this.rules.questions.find((q) => q.id === id);
  }

  /** The diagnosis as the stored evidence and answers stand now. */
  current(key: string): { diagnosis: Diagnosis; report: Report } {
    const s = this.store.getSession(key);
    if (!s) throw new Error(`no session ${key}`);
    return this.evaluate(s);
  }

  private evaluate(s: SessionState): { diagnosis: Diagnosis; report: Report } {
    const facts: Fact[] = s.evidence.flatMap((e) => e.facts);
    const problems: Problem[] = s.evidence.flatMap((e) => e.problems);
    const diagnosis = diagnose({ facts, answers: s.answers, problems }, this.rules);
    return { diagnosis, report: buildReport(diagnosis) };
  }

  private previous(key: string): Report | undefined {
    const s = this.store.getSession(key);
    return s && (s.evidence.length || s.answers.length) ? this.evaluate(s).report : undefined;
  }

  private async addResult(key: string, input: string, who: Who, read: () => Promise<ReadResult> | ReadResult): Promise<Outcome> {
    return this.lock.run(key, async () => {
      const before = this.previous(key);
      const r = await read();
      this.store.addEvidence(key, { input, facts: r.facts, problems: r.problems, ...(who.by ? { addedBy: who.by } : {}), addedAt: who.at });
      const { diagnosis, report } = this.current(key);
      return { before, report, diagnosis, newFacts: r.facts.length, newProblems: r.problems, changes: describeChanges(before, report) };
    });
  }

  /** A downloaded file, streamed into the evidence readers. */
  addFile(key: string, file: FileInput, who: Who): Promise<Outcome> {
    const ctx = { limits: this.limits, ...(file.onProgress ? { onProgress: file.onProgress } : {}), ...(file.signal ? { signal: file.signal } : {}) };
    return this.addResult(key, file.name, who, async () => {
      const r = await readStream(file.name, file.stream, ctx, file.size);
      const after = file.problemsAfterRead?.() ?? [];
      return after.length ? { ...r, problems: [...r.problems, ...after] } : r;
    });
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

  /** Records an answer unless it does not fit the question; the later of two answers stands. */
  answer(key: string, answer: Answer): Promise<AnswerOutcome> {
    return this.lock.run(key, async (): Promise<AnswerOutcome> => {
      const q = this.question(answer.question);
      if (!q) return { ok: false, message: `There is no question ${answer.question}.` };
      const check = interpretAnswer(q, answer.value);
      if (!check.ok) return { ok: false, message: check.message };
      const s = this.store.getSession(key);
      if (!s) return { ok: false, message: 'This diagnosis session no longer exists (it may have been purged after the retention period).' };
      const earlier = [...s.answers].reverse().find((a) => a.question === answer.question);
      const before = this.evaluate(s).report;
      this.store.addAnswer(key, answer);
      const { diagnosis, report } = this.current(key);
      return {
        ok: true,
        before,
        report,
        diagnosis,
        newFacts: check.value === null ? 0 : 1,
        newProblems: [],
        changes: describeChanges(before, report),
        ...(earlier ? { superseded: earlier } : {}),
      };
    });
  }
}
