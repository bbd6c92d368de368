import type { Answer } from '../engine/answers.js';
import type { Fact, Problem } from '../facts/schema.js';

/**
 * Session storage behind a small interface: SQLite is the embedded default;
 * a shared database (Postgres) can implement the same methods to back several
 * HTTP-mode replicas. Every write is an append or a single-row upsert, so
 * concurrent writers never overwrite each other's evidence or answers.
 */
export interface SessionInfo {
  /** `channel:thread_ts` in Slack; any stable id elsewhere (the terminal uses "terminal:<case>"). */
  key: string;
  channel: string;
  threadTs: string;
  createdAt: string;
  updatedAt: string;
  /** The summary message that is updated in place (Slack ts). */
  summaryTs?: string;
  /** Free per-session settings: the person who started it, the trigger, … */
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

export interface SessionState extends SessionInfo {
  evidence: EvidenceBatch[];
  answers: Answer[];
  /** Message ts's the bot posted in the thread, with what they were. */
  messages: { ts: string; kind: string }[];
}

/** A store may answer at once (SQLite) or later (a database server): callers always await. */
export type Awaitable<T> = T | Promise<T>;

/** The cases themselves: evidence and answers. Only the case service (src/case/) writes here. */
export interface CaseStore {
  /** Creates the session if it does not exist; returns it either way. */
  openSession(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): Awaitable<SessionInfo>;
  getSession(key: string): Awaitable<SessionState | undefined>;
  hasSession(key: string): Awaitable<boolean>;
  addEvidence(key: string, batch: EvidenceBatch): Awaitable<void>;
  addAnswer(key: string, answer: Answer): Awaitable<void>;
}

/**
 * The case store, and in the same database what a chat front-end keeps
 * beside a case (Slack declares the part it uses as its ThreadBook,
 * src/slack/threads.ts, and never sees the case methods): which message is
 * the summary, what the bot posted, deliveries already handled.
 */
export interface Store extends CaseStore {
  thread(key: string): Awaitable<{ summaryTs?: string; meta: Record<string, string> } | undefined>;
  setSummaryTs(key: string, ts: string): Awaitable<void>;
  recordMessage(key: string, ts: string, kind: string): Awaitable<void>;
  setMeta(key: string, name: string, value: string): Awaitable<void>;
  /**
   * Records a delivery key (event_id, message channel+ts, action key) and says
   * whether this is its first sighting. Retries of the same key return false.
   */
  claim(dedupeKey: string, ttlMs?: number): Awaitable<boolean>;
  /** Deletes sessions untouched for longer than the retention period and expired claims. */
  purge(now?: Date): { sessions: number; claims: number };
  close(): void;
}
