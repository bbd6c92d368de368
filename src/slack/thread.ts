import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import { reportFor } from '../report/render/audience.js';
import { renderMarkdown } from '../report/render/markdown.js';
import type { Report } from '../report/types.js';
import { progressBlocks, type ProgressState } from './blocks/progress.js';
import { summaryBlocks } from './blocks/report.js';
import type { Block } from './blocks/budget.js';
import type { SlackDeps } from './context.js';
import { FILE_WORDS } from './words.js';

type WebClient = webApi.WebClient;

/**
 * The bot's side of one thread: the summary message it keeps editing,
 * throttled progress while a file is read, short replies, attachments, and
 * a plain message when something failed.
 */
export class Thread {
  private inflight: Promise<unknown> = Promise.resolve();
  private pendingProgress: ProgressState | undefined;
  private lastHeadline: string | undefined;
  private summaryTs: string | undefined;

  constructor(
    private readonly deps: SlackDeps,
    private readonly client: WebClient,
    readonly key: string,
    readonly channel: string,
    readonly threadTs: string,
  ) {}

  private get log() {
    return this.deps.logger.child({ session: this.key });
  }

  private get store() {
    return this.deps.threads;
  }

  /**
   * Posts the summary placeholder once per thread; later calls return its
   * ts. Two processes may post at the same moment (the thread lock makes it
   * rare): the store keeps the first ts recorded, and the other process
   * deletes its own message.
   */
  async ensureSummary(initial = 'pushcheck is looking at this…'): Promise<string> {
    if (this.summaryTs) return this.summaryTs;
    const known = (await this.store.thread(this.key))?.summaryTs;
    if (known) return (this.summaryTs = known);
    const res = await this.client.chat.postMessage({ channel: this.channel, thread_ts: this.threadTs, text: initial });
    const ts = await this.store.claimSummary(this.key, res.ts!);
    if (ts === res.ts) await this.store.recordMessage(this.key, ts, 'summary');
    else await this.client.chat.delete({ channel: this.channel, ts: res.ts! }).catch((e: unknown) => this.log.warn({ err: e }, 'could not delete a second summary'));
    return (this.summaryTs = ts);
  }

  private async update(text: string, blocks: Block[]): Promise<void> {
    const ts = await this.ensureSummary();
    await this.client.chat.update({ channel: this.channel, ts, text, blocks });
  }

  /**
   * Shows read progress, at most once per interval per thread (every
   * Thread object of one thread shares the clock: two files posted at once
   * must not double the edits); never blocks the read.
   */
  progress(p: ProgressState, lastHeadline?: string): void {
    this.pendingProgress = p;
    this.lastHeadline = lastHeadline ?? this.lastHeadline;
    const now = Date.now();
    if (now - (this.deps.progressEdits.get(this.key) ?? Number.NEGATIVE_INFINITY) < this.deps.progressIntervalMs) return;
    this.deps.progressEdits.set(this.key, now);
    if (this.deps.progressEdits.size > 1000) for (const [k, t] of this.deps.progressEdits) if (now - t >= this.deps.progressIntervalMs) this.deps.progressEdits.delete(k);
    this.inflight = this.inflight.then(async () => {
      const cur = this.pendingProgress;
      if (!cur) return;
      const { text, blocks } = progressBlocks(cur, this.lastHeadline);
      try {
        await this.update(text, blocks);
      } catch (e) {
        this.log.warn({ err: e }, 'progress update failed');
      }
    });
  }

  /** Replaces the summary with the report; attaches the full Markdown report when it did not fit. */
  async showReport(report: Report, note?: string): Promise<void> {
    this.pendingProgress = undefined;
    await this.inflight;
    // A channel is read by many and kept for years: secrets as the channel audience sees them.
    const masked = reportFor(report, 'channel');
    const summary = summaryBlocks(masked, { key: this.key, ...(note ? { note } : {}) });
    await this.update(summary.text, summary.blocks);
    if (summary.truncated) await this.attachReport(report);
  }

  /**
   * Attaches the full report (every cause, rule and observation, secrets
   * masked) as Markdown, once per distinct report. Returns false when the
   * same report is already in the thread.
   */
  async attachReport(report: Report, by?: string): Promise<boolean> {
    const markdown = renderMarkdown(reportFor(report, 'channel'), { detail: 'full', ...FILE_WORDS });
    const hash = createHash('sha256').update(markdown).digest('hex').slice(0, 16);
    const t = await this.deps.threads.thread(this.key);
    if (t?.meta.attachedReport === hash) return false;
    await this.client.files.uploadV2({
      channel_id: this.channel,
      thread_ts: this.threadTs,
      filename: 'pushcheck-report.md',
      title: 'pushcheck report (full)',
      content: markdown,
      initial_comment: `${by ? `<@${by}> asked for all the evidence. ` : ''}The full report, with every cause, the rules pushcheck checked and all the evidence:`,
    });
    await this.deps.threads.setMeta(this.key, 'attachedReport', hash);
    return true;
  }

  async reply(text: string, blocks?: Block[]): Promise<void> {
    const res = await this.client.chat.postMessage({ channel: this.channel, thread_ts: this.threadTs, text, ...(blocks ? { blocks } : {}) });
    if (res.ts) await this.deps.threads.recordMessage(this.key, res.ts, 'reply');
  }

  /** A plain message saying what failed and what to do; never throws. */
  async fail(what: string, error: unknown, advice = 'Try again in a minute; if it keeps failing, run `pushcheck diagnose` on the file locally.'): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.log.error({ err: error, what }, 'slack work failed');
    try {
      await this.client.chat.postMessage({ channel: this.channel, thread_ts: this.threadTs, text: `:x: pushcheck could not ${what}: ${reason}\n${advice}` });
    } catch (e) {
      this.log.error({ err: e }, 'could not tell the thread about a failure');
    }
  }
}
