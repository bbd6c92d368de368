/** Answers at once or later: Slack's code always awaits. */
type Awaitable<T> = T | Promise<T>;

/**
 * What the bot keeps about a thread beside its case: which message is the
 * summary it edits, what it posted, what it noted (the last report it
 * attached), and deliveries it already handled. The diagnosis itself is the
 * case service's; Slack never writes it. main.ts hands in the SQLite store,
 * which keeps both in one database.
 */
export interface ThreadBook {
  thread(key: string): Awaitable<{ summaryTs?: string; meta: Record<string, string> } | undefined>;
  setSummaryTs(key: string, ts: string): Awaitable<void>;
  recordMessage(key: string, ts: string, kind: string): Awaitable<void>;
  setMeta(key: string, name: string, value: string): Awaitable<void>;
  /** Records a delivery key and says whether this is its first sighting (Slack retries, double clicks). */
  claim(dedupeKey: string, ttlMs?: number): Awaitable<boolean>;
}
