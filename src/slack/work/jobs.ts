import { createHash } from 'node:crypto';
import { evaluateCase, prepareFeedback, readStream, shippedRules, type Answer, type Fact, type FeedbackPackage, type Limits, type Problem, type ReportGist, type RuleSet } from '../../case/index.js';
import { reportFor } from '../../report/render/audience.js';
import { digest, focusQuestions, renderMarkdown } from '../../report/render/index.js';
import type { QuestionReport, Report } from '../../report/types.js';
import { renderTimelinePng } from '../../timeline/index.js';
import type { Block } from '../blocks/budget.js';
import { summaryBlocks } from '../blocks/report.js';
import { cutAtCapMessage, DownloadError, openSlackFile, slackTokenHosts, type SlackFile } from '../download.js';
import { FILE_WORDS, SLACK_WORDS } from '../words.js';

/**
 * The work a Slack thread's evidence costs, done away from the thread that
 * answers Slack: reading a file (download included) into facts, and
 * evaluating a case into what the thread shows. Each job is a plain
 * function of its input; work/pool.ts runs them in worker threads (or
 * inline, in tests that ask for it). A case's parsed evidence and its
 * latest report stay here between jobs, so a click re-diagnoses only when
 * the evidence or the answers changed, and the main thread never parses a
 * fact.
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
  /** This worker's memory of cases (one per worker, or per inline runner). */
  cases: CaseMemory;
  rules: RuleSet;
}

/** Downloads and reads one Slack file into facts, handed back as JSON text for the store. */
export async function scan(input: ScanInput, ctx: JobContext): Promise<ScanOutput> {
  const { name, file, download: d } = input;
  let last = 0;
  const note = (n: ScanNote, force = false) => {
    // Cheap for the thread: at most a few notes a second cross back.
    const now = Date.now();
    if (!force && now - last < 250) return;
    last = now;
    ctx.note(n);
  };
  note({ stage: 'downloading', bytesRead: 0, ...(file.size ? { totalBytes: file.size } : {}) }, true);
  let opened;
  try {
    opened = await openSlackFile(file, {
      botToken: d.botToken,
      tokenHosts: slackTokenHosts(d.apiUrl),
      maxBytes: d.maxBytes,
      attempts: d.attempts,
      idleTimeoutMs: d.idleTimeoutMs,
      totalTimeoutMs: d.totalTimeoutMs,
      onBytes: (read, total) => note({ stage: 'downloading', bytesRead: read, ...(total ? { totalBytes: total } : {}) }),
    });
  } catch (e) {
    if (e instanceof DownloadError) return { ok: false, download: { code: e.code, message: e.message } };
    throw e;
  }
  const { stream, size, cut } = opened;
  let downloadError: unknown;
  stream.on('error', (e) => (downloadError = e));
  const r = await readStream(name, stream, {
    limits: input.limits,
    onProgress: (p) => note({ stage: p.stage === 'done' ? 'reading' : p.stage, bytesRead: p.bytesRead, ...(p.totalBytes ? { totalBytes: p.totalBytes } : {}), ...(p.member ? { member: p.member } : {}) }),
  }, size);
  const err = downloadError ?? undefined;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  const failed = err instanceof DownloadError ? err : cause instanceof DownloadError ? cause : undefined;
  if (failed) return { ok: false, download: { code: failed.code, message: failed.message } };
  if (err) throw err;
  const cutBy = cut();
  // A file cut at the cap keeps what its first MB held; the summary's problems say it was cut.
  const problems = cutBy ? [...r.problems, { input: name, code: 'download.cut_at_size_cap', message: `${cutAtCapMessage(d.maxBytes)}; what they held is used` }] : r.problems;
  return { ok: true, facts: JSON.stringify(r.facts), problems: JSON.stringify(problems), newFacts: r.facts.length, newProblems: problems, ...(cutBy ? { cut: cutBy.message } : {}) };
}

interface KeptCase {
  batches: Map<string, { facts: Fact[]; problems: Problem[]; bytes: number }>;
  report?: { version: string; report: Report };
}

/**
 * The cases a worker holds: parsed evidence batches and the latest report
 * of each, the least recently used dropped first once their JSON passes
 * the budget (a dropped case is read again from the store when next
 * needed).
 */
export class CaseMemory {
  private readonly kept = new Map<string, KeptCase>();

  constructor(private readonly budgetBytes: number) {}

  /** The case's report for `ref`, evaluating it (and fetching missing evidence) only when the version changed. */
  async report(ref: CaseRef, ctx: Pick<JobContext, 'ask' | 'rules'>): Promise<Report> {
    const id = `${ref.scope}\n${ref.key}`;
    let c = this.kept.get(id);
    if (c?.report?.version === ref.version) return this.touch(id, c).report!.report;
    c ??= { batches: new Map() };
    const missing = ref.batchIds.filter((id) => !c!.batches.has(id));
    if (missing.length)
      for (const b of await ctx.ask({ batches: missing })) {
        const facts = JSON.parse(b.facts) as Fact[];
        c.batches.set(b.id, { facts, problems: JSON.parse(b.problems) as Problem[], bytes: b.facts.length + b.problems.length });
      }
    const batches = ref.batchIds.map((id) => {
      const b = c!.batches.get(id);
      if (!b) throw new Error(`evidence ${id} of ${ref.key} is not in the store`);
      return b;
    });
    // Batches no longer in the case (none today: evidence is only added) are let go.
    for (const id of c.batches.keys()) if (!ref.batchIds.includes(id)) c.batches.delete(id);
    const { report } = evaluateCase(batches, ref.answers, ctx.rules);
    c.report = { version: ref.version, report };
    this.touch(id, c);
    this.trim(id);
    return report;
  }

  private touch(key: string, c: KeptCase): KeptCase {
    this.kept.delete(key);
    this.kept.set(key, c);
    return c;
  }

  private size(c: KeptCase): number {
    let n = 0;
    for (const b of c.batches.values()) n += b.bytes;
    // A report repeats the facts with their wording: about twice their JSON.
    return c.report ? 3 * n : n;
  }

  /** Drops the least recently used cases (never `keep`) while the whole passes the budget. */
  private trim(keep: string): void {
    let total = 0;
    for (const c of this.kept.values()) total += this.size(c);
    for (const [key, c] of this.kept) {
      if (total <= this.budgetBytes) break;
      if (key === keep) continue;
      total -= this.size(c);
      this.kept.delete(key);
    }
  }

  /** How many cases are held (for tests). */
  get count(): number {
    return this.kept.size;
  }
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** What the thread shows of a case's report: the summary, and the gist later replies compare against. */
export function viewOf(ref: CaseRef, report: Report): CaseView {
  // A channel is read by many and kept for years: secrets as the channel audience sees them.
  const summary = summaryBlocks(reportFor(report, 'channel'), { key: ref.key });
  const next = focusQuestions(report)[0];
  return {
    version: ref.version,
    empty: ref.batchIds.length === 0 && ref.answers.length === 0,
    headline: report.headline,
    gist: { domains: report.domains, causes: report.causes.map((c) => ({ id: c.id, status: c.status, title: c.title })), escalation: !!report.escalation },
    ...(next ? { next: { id: next.id, text: next.text } } : {}),
    timeline: report.timeline.length ? hash(JSON.stringify(report.timeline)) : '',
    summary: { text: summary.text, blocks: summary.blocks, truncated: summary.truncated },
  };
}

export async function view(input: { ref: CaseRef }, ctx: JobContext): Promise<CaseView> {
  return viewOf(input.ref, await ctx.cases.report(input.ref, ctx));
}

/** The full report as Markdown (secrets masked), as "Show all evidence" and a summary too long for Slack attach it. */
export async function markdown(input: { ref: CaseRef }, ctx: JobContext): Promise<{ markdown: string; hash: string }> {
  const text = renderMarkdown(reportFor(await ctx.cases.report(input.ref, ctx), 'channel'), { detail: 'full', ...FILE_WORDS });
  return { markdown: text, hash: hash(text) };
}

/** The push timeline picture, or null with fewer than two timed events. */
export async function timeline(input: { ref: CaseRef }, ctx: JobContext): Promise<Uint8Array | null> {
  return renderTimelinePng(await ctx.cases.report(input.ref, ctx));
}

/** The questions the summary leaves out ("More questions"). */
export async function moreQuestions(input: { ref: CaseRef }, ctx: JobContext): Promise<QuestionReport[]> {
  return digest(reportFor(await ctx.cases.report(input.ref, ctx), 'channel'), SLACK_WORDS).moreQuestions;
}

/** The Apple Feedback package, or null until every known cause is ruled out. */
export async function feedback(input: { ref: CaseRef; options: { redact?: boolean } }, ctx: JobContext): Promise<FeedbackPackage | null> {
  const report = await ctx.cases.report(input.ref, ctx);
  return report.escalation ? prepareFeedback(report, input.options) : null;
}

export const JOBS = { scan, view, markdown, timeline, moreQuestions, feedback };

export type Jobs = typeof JOBS;
export type JobKind = keyof Jobs;
export type JobInput<K extends JobKind> = Parameters<Jobs[K]>[0];
export type JobOutput<K extends JobKind> = Awaited<ReturnType<Jobs[K]>>;

/** The rules a worker evaluates with: the shipped ones unless the bot was given its own. */
export function rulesOf(given: RuleSet | undefined): RuleSet {
  return given ?? shippedRules();
}
