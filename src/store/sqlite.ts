import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Answer } from '../engine/answers.js';
import { DEFAULT_LOCK_TIMEOUT_MS, lockThread, TimedKeyedMutex } from './localLock.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { DelegatesScans } from './scanDelegate.js';
import { SqliteLease } from './sqliteLease.js';
import { SqliteScans } from './sqliteScans.js';
import {
  answer,
  ANSWER_ORDER,
  answerPlace,
  evidenceBatch,
  evidenceJson,
  caseInfo,
  threadInfo,
  type AnswerRow,
  type EvidenceRow,
  type CaseRow,
} from './rows.js';
import type { AnswerRecorded, CaseSnapshot, EvidenceBatch, EvidenceJson, LockOptions, CaseInfo, CaseState, Store } from './types.js';

export interface SqliteStoreOptions {
  /** File path, or ":memory:". */
  path: string;
  /** Cases untouched for longer than this are purged. */
  retentionMs: number;
  /** How long a delivery key is remembered (Slack retries within minutes). */
  dedupeTtlMs?: number;
  /** The clock for timestamps in the store (tests pass a fixed one). */
  now?: () => Date;
  /** How long a thread lease lasts without renewal (a process that died holding it frees it after this). */
  leaseMs?: number;
  /** Default wait for a busy thread. */
  lockTimeoutMs?: number;
}

const DAY = 86_400_000;
const DEFAULT_LEASE_MS = 30_000;

/**
 * The embedded store: SQLite through better-sqlite3, one file. Each call is
 * a synchronous statement (or transaction) run to completion, so it is
 * atomic inside the process; a lease row per thread serialises the work of
 * several processes sharing the file.
 */
export class SqliteStore extends DelegatesScans implements Store {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  readonly db: Database.Database;
  private readonly retentionMs: number;
  private readonly dedupeTtlMs: number;
  private readonly now: () => Date;
  private readonly local = new TimedKeyedMutex();
  /** The thread's lease row, for several processes on one file. */
  private readonly lease: SqliteLease;
  /** Reads in flight. */
  protected readonly inFlight: SqliteScans;
  private readonly lockTimeoutMs: number;

  constructor(opts: SqliteStoreOptions) {
    super();
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    this.location = opts.path;
    this.db = new Database(opts.path);
    // WAL: readers do not block the writer, and a crash loses nothing committed.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.retentionMs = opts.retentionMs;
    this.dedupeTtlMs = opts.dedupeTtlMs ?? DAY;
    this.now = opts.now ?? (() => new Date());
    this.lease = new SqliteLease(this.db, this.now, opts.leaseMs ?? DEFAULT_LEASE_MS);
    this.inFlight = new SqliteScans(this.db, this.now);
    this.lockTimeoutMs = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.migrate();
  }

  /** Applies every migration not yet recorded, each in its own transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM migrations').all() as { version: number }[]).map((r) => r.version));
    for (const m of SQLITE_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, this.now().toISOString());
      })();
    }
  }

  async appliedMigrations(): Promise<number[]> {
    return (this.db.prepare('SELECT version FROM migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  }

  private touch(key: string): void {
    this.db.prepare('UPDATE cases SET updated_at = ? WHERE key = ?').run(this.now().toISOString(), key);
  }

  async openCase(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): Promise<CaseInfo> {
    const at = this.now().toISOString();
    this.db
      .prepare('INSERT INTO cases (key, channel, thread_ts, created_at, updated_at, meta) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING')
      .run(key, init.channel, init.threadTs, at, at, JSON.stringify(init.meta ?? {}));
    return caseInfo(this.db.prepare('SELECT * FROM cases WHERE key = ?').get(key) as CaseRow);
  }

  async thread(key: string): Promise<{ summaryTs?: string; meta: Record<string, string> } | undefined> {
    const row = this.db.prepare('SELECT summary_ts, meta FROM cases WHERE key = ?').get(key) as Pick<CaseRow, 'summary_ts' | 'meta'> | undefined;
    return row ? threadInfo(row) : undefined;
  }

  async hasCase(key: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM cases WHERE key = ?').get(key) !== undefined;
  }

  async getCase(key: string): Promise<CaseState | undefined> {
    const row = this.db.prepare('SELECT * FROM cases WHERE key = ?').get(key) as CaseRow | undefined;
    if (!row) return undefined;
    const evidence = (
      this.db.prepare('SELECT input, facts, problems, added_by, added_at FROM evidence WHERE case_key = ? ORDER BY id').all(key) as EvidenceRow[]
    ).map(evidenceBatch);
    const answers = (
      this.db.prepare(`SELECT question, value, answered_by, answered_at FROM answers WHERE case_key = ? ORDER BY ${ANSWER_ORDER}`).all(key) as AnswerRow[]
    ).map(answer);
    const messages = this.db.prepare('SELECT ts, kind FROM messages WHERE case_key = ? ORDER BY ts').all(key) as { ts: string; kind: string }[];
    return { ...caseInfo(row), evidence, answers, messages };
  }

  async addEvidence(key: string, batch: EvidenceBatch): Promise<void> {
    return this.addEvidenceJson(key, { ...batch, facts: JSON.stringify(batch.facts), problems: JSON.stringify(batch.problems) });
  }

  async addEvidenceJson(key: string, batch: EvidenceJson): Promise<void> {
    this.db
      .prepare('INSERT INTO evidence (case_key, input, facts, problems, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key, batch.input, batch.facts, batch.problems, batch.addedBy ?? null, batch.addedAt);
    this.touch(key);
  }

  async caseSnapshot(key: string): Promise<CaseSnapshot | undefined> {
    if (!(await this.hasCase(key))) return undefined;
    const ids = this.db.prepare('SELECT id FROM evidence WHERE case_key = ? ORDER BY id').all(key) as { id: number }[];
    const answers = (
      this.db.prepare(`SELECT question, value, answered_by, answered_at FROM answers WHERE case_key = ? ORDER BY ${ANSWER_ORDER}`).all(key) as AnswerRow[]
    ).map(answer);
    return { batchIds: ids.map((r) => String(r.id)), answers };
  }

  async evidenceJson(key: string, ids: readonly string[]): Promise<(EvidenceJson & { id: string })[]> {
    if (!ids.length) return [];
    const rows = this.db
      .prepare(
        `SELECT id, input, facts, problems, added_by, added_at FROM evidence WHERE case_key = ? AND id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`,
      )
      .all(key, ...ids.map(Number)) as (EvidenceRow & { id: number })[];
    return rows.map(evidenceJson);
  }

  async addAnswer(key: string, a: Answer): Promise<AnswerRecorded> {
    return this.db.transaction(() => {
      const id = this.db
        .prepare('INSERT INTO answers (case_key, question, value, answered_by, answered_at) VALUES (?, ?, ?, ?, ?)')
        .run(key, a.question, a.value, a.by ?? null, a.at ?? null).lastInsertRowid;
      this.touch(key);
      const ordered = this.db
        .prepare(`SELECT id, question, value, answered_by, answered_at FROM answers WHERE case_key = ? AND question = ? ORDER BY ${ANSWER_ORDER}`)
        .all(key, a.question) as (AnswerRow & { id: number })[];
      return answerPlace(ordered, Number(id));
    })();
  }

  async claimSummary(key: string, ts: string): Promise<string> {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE cases SET summary_ts = ?, updated_at = ? WHERE key = ? AND summary_ts IS NULL').run(ts, this.now().toISOString(), key);
      const row = this.db.prepare('SELECT summary_ts FROM cases WHERE key = ?').get(key) as { summary_ts: string | null } | undefined;
      if (!row?.summary_ts) throw new Error(`no case ${key}`);
      return row.summary_ts;
    })();
  }

  async replaceSummary(key: string, from: string, to: string): Promise<string> {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE cases SET summary_ts = ?, updated_at = ? WHERE key = ? AND summary_ts = ?').run(to, this.now().toISOString(), key, from);
      const row = this.db.prepare('SELECT summary_ts FROM cases WHERE key = ?').get(key) as { summary_ts: string | null } | undefined;
      if (!row?.summary_ts) throw new Error(`no case ${key}`);
      return row.summary_ts;
    })();
  }

  async recordMessage(key: string, ts: string, kind: string): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO messages (case_key, ts, kind) VALUES (?, ?, ?)').run(key, ts, kind);
  }

  async setMeta(key: string, name: string, value: string): Promise<void> {
    // json_set keeps this a single statement: no read-modify-write race.
    this.db.prepare("UPDATE cases SET meta = json_set(meta, '$.' || ?, ?) WHERE key = ?").run(name, value, key);
  }

  async claim(dedupeKey: string, ttlMs = this.dedupeTtlMs): Promise<boolean> {
    const now = this.now().getTime();
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM seen WHERE key = ? AND expires_at <= ?').run(dedupeKey, now);
      return this.db.prepare('INSERT OR IGNORE INTO seen (key, expires_at) VALUES (?, ?)').run(dedupeKey, now + ttlMs).changes === 1;
    })();
  }

  withThreadLock<T>(key: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.lockTimeoutMs;
    return lockThread(this.local, key, timeoutMs, fn, (until, inner) => this.lease.hold(key, until, timeoutMs, inner));
  }

  async purge(now = this.now()): Promise<{ cases: number; claims: number }> {
    const cutoff = new Date(now.getTime() - this.retentionMs).toISOString();
    const cases = this.db.prepare('DELETE FROM cases WHERE updated_at < ?').run(cutoff).changes;
    const claims = this.db.prepare('DELETE FROM seen WHERE expires_at <= ?').run(now.getTime()).changes;
    this.db.prepare('DELETE FROM locks WHERE expires_at <= ?').run(now.getTime());
    return { cases, claims };
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
