import type { Answer, FeedbackPackage, Limits, Problem, ReportGist, RuleSet } from '../../case/index.js';
import type { QuestionReport } from '../../report/types.js';
import type { Block } from '../blocks/budget.js';
import type { SlackFile } from '../download.js';
import type { CaseMemory } from './cases.js';

/**
 * The work a Slack thread's evidence costs, done away from the thread that
 * answers Slack: reading a file (download included) into facts
 * (workers/scan.ts), and evaluating a case into what the thread shows
 * (workers/cases.ts). Each job is a plain function of its input; workers/pool.ts
 * runs them in worker threads (or inline.ts on the calling thread, in tests that ask for it). A
 * case's parsed evidence and its latest report stay with its worker between
 * jobs, so a click re-diagnoses only when the evidence or the answers
 * changed, and the main thread never parses a fact. Each kind of job loads
 * its code on first use: a worker that only reads files never loads the
 * engine or the rules.
 */
/** A case as stored: enough to tell whether what is kept still holds, and to fetch what is missing. */
export interface CaseRef {
  /** Whose cases these are: one bot's store (pools may serve several bots in one process, as tests do). */
  scope: string;
  key: string;
  /** Changes whenever the evidence or the answers do (see views.ts). */
  version: string;
  batchIds: string[];
  answers: Answer[];
}

/** Evidence batches as stored, facts and problems as JSON text. */
export type StoredBatch = { id: string; facts: string; problems: string };

/** What a thread keeps of its latest report: small, so the main thread holds it for every thread. */
export interface CaseView {
  version: string;
  /** Neither evidence nor answers yet: a first report has nothing to compare with. */
  empty: boolean;
  headline: string;
  gist: ReportGist;
  /** The question the reply names next. */
  next?: { id: string; text: string };
  /** Changes when the timed events do (a new timeline picture is due); '' without any. */
  timeline: string;
  /** The summary message (secrets as the channel sees them). */
  summary: { text: string; blocks: Block[]; truncated: boolean };
}

export interface DownloadSettings {
  botToken: string;
  apiUrl?: string;
  maxBytes: number;
  attempts: number;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
}

export interface ScanInput {
  name: string;
  file: SlackFile;
  download: DownloadSettings;
  limits: Limits;
}

/** How far a read got (the thread's progress line). */
export interface ScanNote {
  stage: 'downloading' | 'reading' | 'scanning';
  bytesRead: number;
  totalBytes?: number;
  member?: string;
}

export type ScanOutput =
  | { ok: true; facts: string; problems: string; newFacts: number; newProblems: Problem[]; cut?: string }
  | { ok: false; download: { code: string; message: string } };

/** What the caller answers when a job asks for evidence the worker does not hold yet. */
export type Ask = { batches: string[] };

export interface JobContext {
  note(value: ScanNote): void;
  ask(question: Ask): Promise<StoredBatch[]>;
  /** This worker's memory of cases (one per worker, or per inline runner), made on first use. */
  cases(): Promise<CaseMemory>;
  /** The bot's own rules, when not the shipped ones. */
  rules?: RuleSet;
}

/** Every kind of job, each loaded when first run. */
export const JOBS = {
  scan: async (input: ScanInput, ctx: JobContext): Promise<ScanOutput> => (await import('./scan.js')).scan(input, ctx),
  view: async (input: { ref: CaseRef }, ctx: JobContext): Promise<CaseView> => (await import('./cases.js')).view(input, ctx),
  markdown: async (input: { ref: CaseRef }, ctx: JobContext): Promise<{ markdown: string; hash: string }> => (await import('./cases.js')).markdown(input, ctx),
  timeline: async (input: { ref: CaseRef }, ctx: JobContext): Promise<Uint8Array | null> => (await import('./cases.js')).timeline(input, ctx),
  moreQuestions: async (input: { ref: CaseRef }, ctx: JobContext): Promise<QuestionReport[]> => (await import('./cases.js')).moreQuestions(input, ctx),
  feedback: async (input: { ref: CaseRef; options: { redact?: boolean } }, ctx: JobContext): Promise<FeedbackPackage | null> =>
    (await import('./cases.js')).feedback(input, ctx),
  /** How many diagnoses a case worker has run and how many cases it keeps (tests, the bench). */
  stats: async (_input: Record<string, never>, ctx: JobContext): Promise<{ evaluations: number; cases: number }> => {
    const memory = await ctx.cases();
    return { evaluations: memory.evaluations, cases: memory.count };
  },
};

export type Jobs = typeof JOBS;
export type JobKind = keyof Jobs;
export type JobInput<K extends JobKind> = Parameters<Jobs[K]>[0];
export type JobOutput<K extends JobKind> = Awaited<ReturnType<Jobs[K]>>;

/** The memory of cases a worker (or inline runner) keeps, made when a case job first needs it. */
export function caseMemoryOnce(budgetBytes: number, given?: CaseMemory): () => Promise<CaseMemory> {
  let memory: Promise<CaseMemory> | undefined = given && Promise.resolve(given);
  return () => (memory ??= import('./cases.js').then((m) => new m.CaseMemory(budgetBytes)));
}
