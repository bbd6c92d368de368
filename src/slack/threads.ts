/**
 * What the bot keeps about a thread beside its case: which message is the
 * summary it edits, what it posted, what it noted (the last report it
 * attached), deliveries it already handled, and the files it is reading.
 * The diagnosis itself is the case service's; Slack never writes it.
 * main.ts hands in the store (SQLite, or Postgres for several replicas),
 * which keeps both in one database. Every step is atomic across replicas:
 * a delivery is claimed once, a thread has one summary, one thread's work
 * runs one piece at a time.
 */
export interface ThreadBook {
  thread(key: string): Promise<{ summaryTs?: string; meta: Record<string, string> } | undefined>;
  /** Records `ts` as the thread's summary unless one is recorded already; returns the one that stands. */
  claimSummary(key: string, ts: string): Promise<string>;
  /** Makes `to` the summary if `from` still is (the report was posted anew when editing kept failing); returns the one that stands. */
  replaceSummary(key: string, from: string, to: string): Promise<string>;
  recordMessage(key: string, ts: string, kind: string): Promise<void>;
  setMeta(key: string, name: string, value: string): Promise<void>;
  /** Records a delivery key and says whether this is its first sighting (Slack retries, double clicks, another replica). */
  claim(dedupeKey: string, ttlMs?: number): Promise<boolean>;
  /** Runs `fn` while no other process or task works on the thread (re-entrant); rejects after a timeout. */
  withThreadLock<T>(key: string, fn: () => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  beginScan(key: string, scan: { input: string; source: Record<string, unknown>; owner: string; addedBy?: string; addedAt: string }): Promise<FileScan>;
  endScan(id: string): Promise<void>;
  heartbeat(owner: string): Promise<number>;
  releaseScans(owner: string): Promise<number>;
  takeStaleScans(owner: string, staleMs: number): Promise<FileScan[]>;
}

/** A file being read, as the book records it (see recovery.ts). */
export interface FileScan {
  id: string;
  key: string;
  input: string;
  source: Record<string, unknown>;
  owner: string;
  attempts: number;
  addedBy?: string;
  addedAt: string;
}
