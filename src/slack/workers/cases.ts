import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { evaluateCase, shippedRules } from '../../case/evaluate.js';
import type { Fact, FeedbackPackage, Problem, RuleSet } from '../../case/index.js';
import { reportFor } from '../../report/render/audience.js';
import { digest, focusQuestions, renderMarkdown } from '../../report/render/index.js';
import type { QuestionReport, Report } from '../../report/types.js';
import { summaryBlocks } from '../blocks/report.js';
import { FILE_WORDS, SLACK_WORDS } from '../words.js';
import type { CaseRef, CaseView, JobContext } from './jobs.js';

interface KeptCase {
  /** Evidence batches as stored: JSON text, a byte a character, parsed only while a case is evaluated. */
  batches: Map<string, { facts: string; problems: string }>;
  /** The latest report, serialised and deflated (a 14 MB report keeps about 1 MB). */
  report?: { version: string; data: Buffer };
}

/**
 * The cases a worker holds, compactly: each case's evidence as the store
 * keeps it (JSON text) and its latest report serialised and deflated. Evaluating a case
 * parses its evidence for as long as the diagnosis runs; a job about the
 * report (its Markdown, its questions, its timeline) reads the kept one,
 * and the report just made stays at hand for the job that usually follows
 * it. Past the byte budget the least recently used cases are dropped (and
 * read from the store again when next needed).
 */
export class CaseMemory {
  private readonly kept = new Map<string, KeptCase>();
  /** The report last made or read, unserialised: the next job is usually about it. */
  private hot: { id: string; version: string; report: Report } | undefined;
  /** Diagnoses run (the engine on a case's evidence and answers), for tests and the bench. */
  evaluations = 0;

  constructor(private readonly budgetBytes: number) {
    shippedRules(); // loaded and checked now, not on the first click
  }

  /** The case's report for `ref`, evaluating it (and fetching missing evidence) only when the version changed. */
  async report(ref: CaseRef, ctx: Pick<JobContext, 'ask' | 'rules'>): Promise<Report> {
    const rules: RuleSet = ctx.rules ?? shippedRules();
    const id = `${ref.scope}\n${ref.key}`;
    if (this.hot?.id === id && this.hot.version === ref.version) return this.hot.report;
    let c = this.kept.get(id);
    if (c?.report?.version === ref.version) {
      this.touch(id, c);
      const report = deserialize(inflateRawSync(c.report.data)) as Report;
      this.hot = { id, version: ref.version, report };
      return report;
    }
    c ??= { batches: new Map() };
    const missing = ref.batchIds.filter((b) => !c!.batches.has(b));
    if (missing.length) for (const b of await ctx.ask({ batches: missing })) c.batches.set(b.id, { facts: b.facts, problems: b.problems });
    // Batches no longer in the case (none today: evidence is only added) are let go.
    for (const b of c.batches.keys()) if (!ref.batchIds.includes(b)) c.batches.delete(b);
    const batches = ref.batchIds.map((b) => {
      const kept = c!.batches.get(b);
      if (!kept) throw new Error(`evidence ${b} of ${ref.key} is not in the store`);
      return { facts: JSON.parse(kept.facts) as Fact[], problems: JSON.parse(kept.problems) as Problem[] };
    });
    this.hot = undefined; // let the last one go before this one is made
    const { report } = evaluateCase(batches, ref.answers, rules);
    this.evaluations++;
    // Fast compression: a case is kept for its clicks, and a kept report is read only for Show all evidence and the like.
    c.report = { version: ref.version, data: deflateRawSync(serialize(report), { level: 1 }) };
    this.hot = { id, version: ref.version, report };
    this.touch(id, c);
    this.trim(id);
    return report;
  }

  private touch(id: string, c: KeptCase): void {
    this.kept.delete(id);
    this.kept.set(id, c);
  }

  private size(c: KeptCase): number {
    let n = c.report?.data.length ?? 0;
    for (const b of c.batches.values()) n += b.facts.length + b.problems.length;
    return n;
  }

  /** Drops the least recently used cases (never `keep`) while the whole passes the budget. */
  private trim(keep: string): void {
    let total = 0;
    for (const c of this.kept.values()) total += this.size(c);
    for (const [id, c] of this.kept) {
      if (total <= this.budgetBytes) break;
      if (id === keep) continue;
      total -= this.size(c);
      this.kept.delete(id);
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

const reportOf = async (ref: CaseRef, ctx: JobContext) => (await ctx.cases()).report(ref, ctx);

export async function view(input: { ref: CaseRef }, ctx: JobContext): Promise<CaseView> {
  return viewOf(input.ref, await reportOf(input.ref, ctx));
}

/** The full report as Markdown (secrets masked), as "Show all evidence" and a summary too long for Slack attach it. */
export async function markdown(input: { ref: CaseRef }, ctx: JobContext): Promise<{ markdown: string; hash: string }> {
  const text = renderMarkdown(reportFor(await reportOf(input.ref, ctx), 'channel'), { detail: 'full', ...FILE_WORDS });
  return { markdown: text, hash: hash(text) };
}

/** The push timeline picture, or null with fewer than two timed events. */
export async function timeline(input: { ref: CaseRef }, ctx: JobContext): Promise<Uint8Array | null> {
  // The picture's renderer (and its fonts) load only when a timeline is drawn.
  const { renderTimelinePng } = await import('../../timeline/index.js');
  return renderTimelinePng(await reportOf(input.ref, ctx));
}

/** The questions the summary leaves out ("More questions"). */
export async function moreQuestions(input: { ref: CaseRef }, ctx: JobContext): Promise<QuestionReport[]> {
  return digest(reportFor(await reportOf(input.ref, ctx), 'channel'), SLACK_WORDS).moreQuestions;
}

/** The Apple Feedback package, or null until every known cause is ruled out. */
export async function feedback(input: { ref: CaseRef; options: { redact?: boolean } }, ctx: JobContext): Promise<FeedbackPackage | null> {
  const report = await reportOf(input.ref, ctx);
  if (!report.escalation) return null;
  // The draft's model client loads only when a draft is asked for.
  const { prepareFeedback } = await import('../../case/index.js');
  return prepareFeedback(report, input.options);
}
