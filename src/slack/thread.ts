import type { webApi } from '@slack/bolt';
import { progressBlocks, unfinishedBlocks, type ProgressState } from './blocks/progress.js';
import type { Block } from './blocks/budget.js';
import type { SlackDeps } from './context.js';
import { rateLimitedFor, slackSaid } from './edits.js';
import type { CaseView } from './workers/jobs.js';

type WebClient = webApi.WebClient;

/**
 * The bot's side of one thread: the summary message it keeps editing,
 * throttled progress while a file is read, short replies, attachments, and
 * a plain message when something failed.
 */
export class Thread {
  private pendingProgress: ProgressState | undefined;
  private lastHeadline: string | undefined;
  /** A progress edit of this object's went out and no report has replaced it yet. */
  private progressShown = false;
  private summaryTs: string | undefined;

  constructor(
    private readonly deps: SlackDeps,
    private readonly client: WebClient,
    readonly key: string,
    readonly channel: string,
    readonly threadTs: string,
  ) {}

  private get log() {
    return this.deps.logger.child({ thread: this.key });
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
    else
      await this.client.chat
        .delete({ channel: this.channel, ts: res.ts! })
        .catch((e: unknown) => this.log.warn({ err: e }, 'could not delete a second summary'));
    return (this.summaryTs = ts);
  }

  /**
   * Shows read progress, at most once per interval per thread (every
   * Thread object of one thread shares the clock: two files posted at once
   * must not double the edits) and within the pace all threads share (see
   * edits.ts); never blocks the read. A progress edit Slack refuses is
   * skipped: the next one, or the report, follows.
   */
  progress(p: ProgressState, lastHeadline?: string): void {
    this.pendingProgress = p;
    this.lastHeadline = lastHeadline ?? this.lastHeadline;
    const now = Date.now();
    if (now - (this.deps.progressEdits.get(this.key) ?? Number.NEGATIVE_INFINITY) < this.deps.progressIntervalMs) return;
    this.deps.progressEdits.set(this.key, now);
    if (this.deps.progressEdits.size > 1000)
      for (const [k, t] of this.deps.progressEdits) if (now - t >= this.deps.progressIntervalMs) this.deps.progressEdits.delete(k);
    this.deps.pacer.offer(this.key, async () => {
      const cur = this.pendingProgress;
      if (!cur) return;
      const { text, blocks } = progressBlocks(cur, this.lastHeadline);
      try {
        const ts = await this.ensureSummary();
        this.progressShown = true;
        await this.deps.edits.chat.update({ channel: this.channel, ts, text, blocks });
      } catch (e) {
        const wait = rateLimitedFor(e);
        if (wait !== undefined) this.deps.pacer.pause(wait * 1000);
        this.log.warn({ err: e }, 'progress update failed');
      }
    });
  }

  /**
   * Replaces the summary with the report; attaches the full Markdown report
   * when it did not fit. The report must reach the thread: an edit Slack
   * rate-limits is tried again after the wait it asks for, and when editing
   * keeps failing the report is posted as a new message, which becomes the
   * summary later edits go to.
   */
  async showView(view: CaseView): Promise<void> {
    this.pendingProgress = undefined;
    await this.deps.pacer.settle(this.key);
    await this.showSummary(view.summary.text, view.summary.blocks);
    this.progressShown = false;
    if (view.summary.truncated)
      await this.attachReport().catch((e: unknown) =>
        this.fail(
          'attach the full report',
          e,
          'The summary above has the main findings; the full report is what `pushcheck diagnose` prints for the same files.',
        ),
      );
  }

  /**
   * The reading this object showed progress for ended without a report
   * (the diagnosis failed, or the store did, after the read): the summary
   * must not go on saying a file is being read. It shows again the last
   * report this process showed of the thread (its buttons still work), or,
   * without one, that the diagnosis could not be brought up to date and the
   * message below says why. Never throws.
   */
  async endProgress(): Promise<void> {
    if (!this.pendingProgress && !this.progressShown) return; // no progress of this object's since its last report
    this.pendingProgress = undefined;
    await this.deps.pacer.settle(this.key);
    if (!this.progressShown) return;
    this.progressShown = false;
    const shown = this.deps.views.peek(this.key)?.summary ?? unfinishedBlocks(this.lastHeadline);
    try {
      await this.showSummary(shown.text, shown.blocks);
    } catch (e) {
      this.log.warn({ err: e }, 'could not take the progress line off the summary');
    }
  }

  private async showSummary(text: string, blocks: Block[]): Promise<void> {
    const ts = await this.ensureSummary();
    // Slack just said to wait (a progress edit got 429): an edit now would only be refused.
    const hold = Math.min(this.deps.pacer.holdMs(), this.deps.maxRetryAfterMs);
    if (hold > 0) await new Promise((r) => setTimeout(r, hold));
    let failure: unknown;
    for (let attempt = 1; attempt <= this.deps.summaryEditAttempts; attempt++) {
      try {
        await this.deps.edits.chat.update({ channel: this.channel, ts, text, blocks });
        return;
      } catch (e) {
        failure = e;
        const wait = rateLimitedFor(e);
        if (wait === undefined || attempt === this.deps.summaryEditAttempts) break;
        this.deps.pacer.pause(wait * 1000);
        this.log.warn({ attempt, retryAfterS: wait }, 'the summary edit was rate limited; trying again after the wait Slack asked for');
        await new Promise((r) => setTimeout(r, Math.min(wait * 1000, this.deps.maxRetryAfterMs)));
      }
    }
    this.log.warn({ err: failure, reason: slackSaid(failure) }, 'the summary could not be edited; posting the report as a new message');
    const res = await this.client.chat.postMessage({ channel: this.channel, thread_ts: this.threadTs, text, blocks });
    if (!res.ts) return;
    await this.store.recordMessage(this.key, res.ts, 'summary');
    this.summaryTs = await this.store.replaceSummary(this.key, ts, res.ts);
  }

  /**
   * Attaches the full report (every cause, rule and observation, secrets
   * masked) as Markdown, once per distinct report. Returns false when the
   * same report is already in the thread.
   */
  async attachReport(by?: string): Promise<boolean> {
    // Rendered where the case's report is kept (see views.ts), from the case as it stands now.
    const { markdown, hash } = await this.deps.views.markdown(this.key);
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
  async fail(
    what: string,
    error: unknown,
    advice = 'Try again in a minute; if it keeps failing, run `pushcheck diagnose` on the file locally.',
  ): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.log.error({ err: error, what }, 'slack work failed');
    try {
      await this.client.chat.postMessage({ channel: this.channel, thread_ts: this.threadTs, text: `:x: pushcheck could not ${what}: ${reason}\n${advice}` });
    } catch (e) {
      this.log.error({ err: e }, 'could not tell the thread about a failure');
    }
  }
}
