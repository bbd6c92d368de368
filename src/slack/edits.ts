/**
 * Progress edits of every thread's summary, paced together. chat.update is
 * rate limited per workspace (Tier 3: about 50 a minute), and the final
 * reports and answers need it too; four large bundles read at once, each
 * showing its progress every few seconds, would spend it all. So progress
 * goes out at most `perMinute` a minute across all threads, a thread's
 * latest state replacing its older one, threads taking turns; a 429 holds
 * them all for as long as Slack says.
 */
export class ProgressPacer {
  private readonly pending = new Map<string, () => Promise<void>>();
  private readonly running = new Map<string, Promise<void>>();
  private tokens: number;
  private refilledAt = Date.now();
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly perMinute: number,
    /** Edits that may go out at once after a quiet spell. */
    private readonly burst = 3,
  ) {
    this.tokens = burst;
  }

  /** The thread's latest progress edit: replaces one not yet sent; goes out when its turn and the rate allow. */
  offer(key: string, edit: () => Promise<void>): void {
    this.pending.set(key, edit); // a key already waiting keeps its place in the turns
    this.pump();
  }

  /** Drops the thread's waiting progress and waits for one being sent: the report must not be overwritten by it. */
  async settle(key: string): Promise<void> {
    this.pending.delete(key);
    await this.running.get(key);
  }

  /** Slack said to slow down (429 with Retry-After): no progress edits until then. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    this.pump();
  }

  /** How long Slack's last Retry-After still runs (the report's own edit waits it out too). */
  holdMs(): number {
    return Math.max(0, this.pausedUntil - Date.now());
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.perMinute) / 60_000);
    this.refilledAt = now;
  }

  private pump(): void {
    if (this.timer) return;
    const now = Date.now();
    this.refill(now);
    for (const [key, edit] of [...this.pending]) {
      if (this.tokens < 1 || now < this.pausedUntil) break;
      // One edit per thread at a time: its next one waits for this one's end.
      if (this.running.has(key)) continue;
      this.pending.delete(key);
      this.tokens -= 1;
      const run = edit()
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(key);
          this.pump();
        });
      this.running.set(key, run);
    }
    if (!this.pending.size) return;
    const waitForToken = this.tokens >= 1 ? 0 : ((1 - this.tokens) * 60_000) / this.perMinute;
    const wait = Math.max(waitForToken, this.pausedUntil - now);
    if (wait <= 0) return; // waiting on an edit in flight; its end pumps again
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, wait);
    this.timer.unref();
  }
}

/** Seconds Slack asked to wait, when an error is its rate limit (HTTP 429 or `ratelimited`). */
export function rateLimitedFor(error: unknown): number | undefined {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: unknown } };
  if (e.code === 'slack_webapi_rate_limited_error') return e.retryAfter ?? 1;
  if (e.code === 'slack_webapi_platform_error' && e.data?.error === 'ratelimited') return 1;
  return undefined;
}

/** Slack's error code for a failed Web API call, or the error's message: what a thread is told. */
export function slackSaid(error: unknown): string {
  const e = error as { code?: string; data?: { error?: unknown }; retryAfter?: number; message?: string };
  if (e.code === 'slack_webapi_rate_limited_error') return `rate limited, retry after ${e.retryAfter} s`;
  if (typeof e.data?.error === 'string') return e.data.error;
  return e.message ?? String(error);
}
