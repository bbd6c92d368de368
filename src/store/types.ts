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

export interface Store {
  /** Creates the session if it does not exist; returns it either way. */
  openSession(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): SessionInfo;
  getSession(key: string): SessionState | undefined;
  hasSession(key: string): boolean;
  addEvidence(key: string, batch: EvidenceBatch): void;
  addAnswer(key: string, answer: Answer): void;
  setSummaryTs(key: string, ts: string): void;
  recordMessage(key: string, ts: string, kind: string): void;
  setMeta(key: string, name: string, value: string): void;
  /**
   * Records a delivery key (event_id, message channel+ts, action key) and says
   * whether this is its first sighting. Retries of the same key return false.
   */
  claim(dedupeKey: string, ttlMs?: number): boolean;
  /** Deletes sessions untouched for longer than the retention period and expired claims. */
  purge(now?: Date): { sessions: number; claims: number };
  close(): void;
}
