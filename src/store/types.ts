import type { Answer } from '../engine/answers.js';
import type { Fact, Problem } from '../facts/schema.js';

export interface CaseInfo {
  /** `channel:thread_ts` in Slack; any stable id elsewhere (the terminal uses "terminal:<case>"). */
  key: string;
  channel: string;
  threadTs: string;
  createdAt: string;
  updatedAt: string;
  /** The summary message that is updated in place (Slack ts). */
  summaryTs?: string;
  /** Free per-case settings: the person who started it, the trigger, … */
  meta: Record<string, string>;
}

export interface EvidenceBatch {
  /** What was read: a file name, "pasted by <@U…>", "/pushcheck". */
  input: string;
  facts: Fact[];
  problems: Problem[];
  addedBy?: string;
  addedAt: string;
}

/** Evidence with its facts and problems as stored JSON text: what a reader in another thread parses itself. */
export interface EvidenceJson {
  input: string;
  /** JSON of Fact[]. */
  facts: string;
  /** JSON of Problem[]. */
  problems: string;
  addedBy?: string;
  addedAt: string;
}

/**
 * What a case's diagnosis depends on, without the facts: the evidence
 * batches by id (ids only ever grow) and the answers in order. Equal
 * snapshots give equal reports, so a kept report is reused while its
 * snapshot stands.
 */
export interface CaseSnapshot {
  batchIds: string[];
  answers: Answer[];
}

export interface CaseState extends CaseInfo {
  evidence: EvidenceBatch[];
  answers: Answer[];
  /** Message ts's the bot posted in the thread, with what they were. */
  messages: { ts: string; kind: string }[];
}

/** What recording an answer did to the question's earlier or later answers. */
export interface AnswerRecorded {
  /** The answer this one replaces (the latest given before it). */
  superseded?: Answer;
  /** An answer given after this one, which still stands (two people answered at once). */
  supersededBy?: Answer;
}

/**
 * A file being read, recorded while the read runs so that if the process
 * reading it dies, another one (or the same one after a restart) finds it,
 * tells the thread and reads it again.
 */
export interface ScanRecord {
  id: string;
  key: string;
  /** The file's name as the thread knows it. */
  input: string;
  /** How to fetch it again (a Slack file's id and URLs, a path…): whatever the reader of the record needs. */
  source: Record<string, unknown>;
  /** The process reading it (see `Store.owner`). */
  owner: string;
  startedAt: string;
  /** Last sign of life of the owner, ms since the epoch. */
  heartbeatAt: number;
  /** How many processes have started reading it (1 the first time). */
  attempts: number;
  /** Who added the file and when (the evidence keeps them when it is read again). */
  addedBy?: string;
  addedAt: string;
}

export interface LockOptions {
  /** How long to wait for the thread before giving up with LockTimeoutError. */
  timeoutMs?: number;
}

/**
 * Case storage shared by every process that serves the same workspace:
 * SQLite for one process (the embedded default), Postgres for several
 * replicas behind a load balancer. Each method is one atomic step, so two
 * replicas never lose or double each other's work:
 * - `claim` dedupes deliveries by a unique key;
 * - `claimSummary` lets the first summary message of a thread win;
 * - `withThreadLock` serialises one thread's work across processes, with a timeout;
 * - `beginScan`/`endScan`/`heartbeat`/`takeStaleScans` track reads in flight;
 * - `addAnswer` orders answers by when they were given and says which one stands.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, fit for a log line (a path, or host:port/database; never a password). */
  readonly location: string;
  /** Creates the thread's case if it does not exist; returns it either way. */
  openCase(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): Promise<CaseInfo>;
  /** What a chat front end keeps beside the case (its summary message, its notes), without the evidence. */
  thread(key: string): Promise<{ summaryTs?: string; meta: Record<string, string> } | undefined>;
  getCase(key: string): Promise<CaseState | undefined>;
  hasCase(key: string): Promise<boolean>;
  addEvidence(key: string, batch: EvidenceBatch): Promise<void>;
  /** The same, with facts and problems already as JSON text (read in a worker thread: nothing to parse here). */
  addEvidenceJson(key: string, batch: EvidenceJson): Promise<void>;
  /** The batch ids and answers of a case (cheap: no facts), or undefined when there is no such case. */
  caseSnapshot(key: string): Promise<CaseSnapshot | undefined>;
  /** Some of a case's evidence batches as stored, by id, in id order. */
  evidenceJson(key: string, ids: readonly string[]): Promise<(EvidenceJson & { id: string })[]>;
  /** Records the answer; answers to one question are ordered by their time (then arrival), the latest stands. */
  addAnswer(key: string, answer: Answer): Promise<AnswerRecorded>;
  /**
   * Records `ts` as the thread's summary message unless one is recorded
   * already; returns the one that stands (the caller deletes its own
   * message if it lost).
   */
  claimSummary(key: string, ts: string): Promise<string>;
  /**
   * Makes `to` the thread's summary if `from` still is (the summary could not be edited and was
   * posted again); returns the one that stands.
   */
  replaceSummary(key: string, from: string, to: string): Promise<string>;
  recordMessage(key: string, ts: string, kind: string): Promise<void>;
  setMeta(key: string, name: string, value: string): Promise<void>;
  /**
   * Records a delivery key (event_id, message channel+ts, action key) and says
   * whether this is its first sighting. Retries of the same key, in this
   * process or another, return false until the key expires.
   */
  claim(dedupeKey: string, ttlMs?: number): Promise<boolean>;
  /**
   * Runs `fn` while no other process (or task) holds the thread; LockTimeoutError if it stays busy.
   * Re-entrant within one chain of calls: work holding the thread may call helpers that take it again.
   */
  withThreadLock<T>(key: string, fn: () => Promise<T>, opts?: LockOptions): Promise<T>;
  /** Records a read in flight for `owner`. */
  beginScan(key: string, scan: { input: string; source: Record<string, unknown>; owner: string; addedBy?: string; addedAt: string }): Promise<ScanRecord>;
  /** The read finished (or failed and the thread was told): forget it. */
  endScan(id: string): Promise<void>;
  /** The owner is alive: its scans are not stale. Returns how many it holds. */
  heartbeat(owner: string): Promise<number>;
  /** A stopping owner hands its scans over at once instead of letting them go stale. */
  releaseScans(owner: string): Promise<number>;
  /**
   * Atomically moves every scan whose owner has not beaten since `staleMs`
   * ago to `owner` (counting an attempt) and returns them: of several
   * processes sweeping at once, each scan goes to exactly one.
   */
  takeStaleScans(owner: string, staleMs: number): Promise<ScanRecord[]>;
  /** Reads in flight in one thread. */
  scans(key: string): Promise<ScanRecord[]>;
  /** Deletes cases untouched for longer than the retention period and expired claims. */
  purge(now?: Date): Promise<{ cases: number; claims: number }>;
  /** Versions of the schema applied, in order. */
  appliedMigrations(): Promise<number[]>;
  /** Throws unless the database answers (the health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The cases themselves: evidence and answers, and the thread's lock that
 * orders additions. Only the case service (src/case/) uses this part; Slack
 * keeps its own book of threads in the same database (src/slack/threads.ts).
 */
export type CaseStore = Pick<
  Store,
  'openCase' | 'getCase' | 'hasCase' | 'addEvidence' | 'addEvidenceJson' | 'caseSnapshot' | 'evidenceJson' | 'addAnswer' | 'withThreadLock'
>;

/** Reads in flight: the part of a store that tracks files being read (see ScanRecord). */
export type ScanStore = Pick<Store, 'beginScan' | 'endScan' | 'heartbeat' | 'releaseScans' | 'takeStaleScans' | 'scans'>;
