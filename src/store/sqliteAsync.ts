import { randomUUID } from 'node:crypto';
import type { Answer } from '../engine/answers.js';
import { LockTimeoutError } from './errors.js';
import { TimedKeyedMutex } from './localLock.js';
import { ANSWER_ORDER, answerPlace, byStart, scanRecord, type AnswerRow, type ScanRow } from './rows.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
import type { AnswerRecorded, AsyncStore, EvidenceBatch, LockOptions, ScanRecord, SessionInfo, SessionState } from './types.js';

export interface SqliteAsyncStoreOptions extends SqliteStoreOptions {
  /** How long a thread lease lasts without renewal (a process that died holding it frees it after this). */
  leaseMs?: number;
  /** Default wait for a busy thread. */
  lockTimeoutMs?: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
const DEFAULT_LEASE_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The embedded store: SQLite through better-sqlite3, one file. Each call is
 * a synchronous statement (or a transaction) run to completion, so it is
 * atomic inside the process; a lease row per thread serialises the work of
 * several processes sharing the file.
 */
export class SqliteAsyncStore implements AsyncStore {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  /** The synchronous store underneath (its callers move to this class). */
  readonly sync: SqliteStore;
  private readonly local = new TimedKeyedMutex();
  private readonly leaseMs: number;
  private readonly lockTimeoutMs: number;
  private readonly now: () => Date;

  constructor(opts: SqliteAsyncStoreOptions) {
    this.sync = new SqliteStore(opts);
    this.location = opts.path;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.now = opts.now ?? (() => new Date());
  }

  private get db() {
    return this.sync.db;
  }

  async openSession(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): Promise<SessionInfo> {
    return this.sync.openSession(key, init);
  }

  async getSession(key: string): Promise<SessionState | undefined> {
    return this.sync.getSession(key);
  }

  async hasSession(key: string): Promise<boolean> {
    return this.sync.hasSession(key);
  }

  async addEvidence(key: string, batch: EvidenceBatch): Promise<void> {
    this.sync.addEvidence(key, batch);
  }

  async addAnswer(key: string, a: Answer): Promise<AnswerRecorded> {
    return this.db.transaction(() => {
      const id = this.db
        .prepare('INSERT INTO answers (session_key, question, value, answered_by, answered_at) VALUES (?, ?, ?, ?, ?)')
        .run(key, a.question, a.value, a.by ?? null, a.at ?? null).lastInsertRowid;
      this.db.prepare('UPDATE sessions SET updated_at = ? WHERE key = ?').run(this.now().toISOString(), key);
      const ordered = this.db
        .prepare(`SELECT id, question, value, answered_by, answered_at FROM answers WHERE session_key = ? AND question = ? ORDER BY ${ANSWER_ORDER}`)
        .all(key, a.question) as (AnswerRow & { id: number })[];
      return answerPlace(ordered, Number(id));
    })();
  }

  async claimSummary(key: string, ts: string): Promise<string> {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE sessions SET summary_ts = ?, updated_at = ? WHERE key = ? AND summary_ts IS NULL').run(ts, this.now().toISOString(), key);
      const row = this.db.prepare('SELECT summary_ts FROM sessions WHERE key = ?').get(key) as { summary_ts: string | null } | undefined;
      if (!row?.summary_ts) throw new Error(`no session ${key}`);
      return row.summary_ts;
    })();
  }

  async recordMessage(key: string, ts: string, kind: string): Promise<void> {
    this.sync.recordMessage(key, ts, kind);
  }

  async setMeta(key: string, name: string, value: string): Promise<void> {
    this.sync.setMeta(key, name, value);
  }

  async claim(dedupeKey: string, ttlMs?: number): Promise<boolean> {
    return this.sync.claim(dedupeKey, ttlMs);
  }

  async withThreadLock<T>(key: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.lockTimeoutMs;
    const until = Date.now() + timeoutMs;
    const release = await this.local.acquire(key, timeoutMs);
    try {
      const name = `thread:${key}`;
      const token = randomUUID();
      for (let delay = 5; !this.tryLease(name, token); delay = Math.min(delay * 2, 200)) {
        const left = until - Date.now();
        if (left <= 0) throw new LockTimeoutError(key, timeoutMs);
        await sleep(Math.min(delay, left));
      }
      const renew = setInterval(() => this.renewLease(name, token), Math.max(10, Math.floor(this.leaseMs / 3)));
      renew.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        if (this.db.open) this.db.prepare('DELETE FROM locks WHERE name = ? AND token = ?').run(name, token);
      }
    } finally {
      release();
    }
  }

  /** Takes the lease if nobody holds it or the holder's lease ran out. */
  private tryLease(name: string, token: string): boolean {
    const now = this.now().getTime();
    return (
      this.db
        .prepare(
          'INSERT INTO locks (name, token, expires_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at WHERE locks.expires_at <= ?',
        )
        .run(name, token, now + this.leaseMs, now).changes === 1
    );
  }

  private renewLease(name: string, token: string): void {
    if (this.db.open) this.db.prepare('UPDATE locks SET expires_at = ? WHERE name = ? AND token = ?').run(this.now().getTime() + this.leaseMs, name, token);
  }

  async beginScan(key: string, scan: { input: string; source: Record<string, unknown>; owner: string; addedBy?: string; addedAt: string }): Promise<ScanRecord> {
    const row = this.db
      .prepare(
        'INSERT INTO scans (id, session_key, input, source, owner, started_at, heartbeat_at, attempts, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING *',
      )
      .get(randomUUID(), key, scan.input, JSON.stringify(scan.source), scan.owner, this.now().toISOString(), this.now().getTime(), scan.addedBy ?? null, scan.addedAt) as ScanRow;
    return scanRecord(row);
  }

  async endScan(id: string): Promise<void> {
    this.db.prepare('DELETE FROM scans WHERE id = ?').run(id);
  }

  async heartbeat(owner: string): Promise<number> {
    return this.db.prepare('UPDATE scans SET heartbeat_at = ? WHERE owner = ?').run(this.now().getTime(), owner).changes;
  }

  async releaseScans(owner: string): Promise<number> {
    return this.db.prepare('UPDATE scans SET heartbeat_at = 0 WHERE owner = ?').run(owner).changes;
  }

  async takeStaleScans(owner: string, staleMs: number): Promise<ScanRecord[]> {
    const now = this.now().getTime();
    const rows = this.db
      .prepare('UPDATE scans SET owner = ?, heartbeat_at = ?, attempts = attempts + 1 WHERE heartbeat_at < ? AND owner <> ? RETURNING *')
      .all(owner, now, now - staleMs, owner) as ScanRow[];
    return rows.map(scanRecord).sort(byStart);
  }

  async scans(key: string): Promise<ScanRecord[]> {
    return (this.db.prepare('SELECT * FROM scans WHERE session_key = ? ORDER BY started_at, id').all(key) as ScanRow[]).map(scanRecord);
  }

  async purge(now?: Date): Promise<{ sessions: number; claims: number }> {
    const r = this.sync.purge(now);
    this.db.prepare('DELETE FROM locks WHERE expires_at <= ?').run((now ?? this.now()).getTime());
    return r;
  }

  async appliedMigrations(): Promise<number[]> {
    return this.sync.appliedMigrations();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.sync.close();
  }
}
