import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Answer } from '../engine/answers.js';
import { MIGRATIONS } from './migrations.js';
import type { EvidenceBatch, SessionInfo, SessionState, Store } from './types.js';

export interface SqliteStoreOptions {
  /** File path, or ":memory:". */
  path: string;
  /** Sessions untouched for longer than this are purged. */
  retentionMs: number;
  /** How long a delivery key is remembered (Slack retries within minutes). */
  dedupeTtlMs?: number;
  /** The clock for timestamps in the store (tests pass a fixed one). */
  now?: () => Date;
}

interface SessionRow {
  key: string;
  channel: string;
  thread_ts: string;
  created_at: string;
  updated_at: string;
  summary_ts: string | null;
  meta: string;
}

const DAY = 86_400_000;

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly retentionMs: number;
  private readonly dedupeTtlMs: number;
  private readonly now: () => Date;

  constructor(opts: SqliteStoreOptions) {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    this.db = new Database(opts.path);
    // WAL: readers do not block the writer, and a crash loses nothing committed.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.retentionMs = opts.retentionMs;
    this.dedupeTtlMs = opts.dedupeTtlMs ?? DAY;
    this.now = opts.now ?? (() => new Date());
    this.migrate();
  }

  /** Applies every migration not yet recorded, each in its own transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM migrations').all() as { version: number }[]).map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, this.now().toISOString());
      })();
    }
  }

  appliedMigrations(): number[] {
    return (this.db.prepare('SELECT version FROM migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  }

  private touch(key: string): void {
    this.db.prepare('UPDATE sessions SET updated_at = ? WHERE key = ?').run(this.now().toISOString(), key);
  }

  private info(row: SessionRow): SessionInfo {
    return {
      key: row.key,
      channel: row.channel,
      threadTs: row.thread_ts,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(row.summary_ts ? { summaryTs: row.summary_ts } : {}),
      meta: JSON.parse(row.meta) as Record<string, string>,
    };
  }

  openSession(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): SessionInfo {
    const at = this.now().toISOString();
    this.db
      .prepare('INSERT INTO sessions (key, channel, thread_ts, created_at, updated_at, meta) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING')
      .run(key, init.channel, init.threadTs, at, at, JSON.stringify(init.meta ?? {}));
    return this.info(this.db.prepare('SELECT * FROM sessions WHERE key = ?').get(key) as SessionRow);
  }

  hasSession(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM sessions WHERE key = ?').get(key) !== undefined;
  }

  getSession(key: string): SessionState | undefined {
    const row = this.db.prepare('SELECT * FROM sessions WHERE key = ?').get(key) as SessionRow | undefined;
    if (!row) return undefined;
    const evidence = (
      this.db.prepare('SELECT input, facts, problems, added_by, added_at FROM evidence WHERE session_key = ? ORDER BY id').all(key) as {
        input: string;
        facts: string;
        problems: string;
        added_by: string | null;
        added_at: string;
      }[]
    ).map(
      (r): EvidenceBatch => ({
        input: r.input,
        facts: JSON.parse(r.facts),
        problems: JSON.parse(r.problems),
        ...(r.added_by ? { addedBy: r.added_by } : {}),
        addedAt: r.added_at,
      }),
    );
    const answers = (
      this.db.prepare('SELECT question, value, answered_by, answered_at FROM answers WHERE session_key = ? ORDER BY id').all(key) as {
        question: string;
        value: string;
        answered_by: string | null;
        answered_at: string | null;
      }[]
    ).map((r): Answer => ({ question: r.question, value: r.value, ...(r.answered_by ? { by: r.answered_by } : {}), ...(r.answered_at ? { at: r.answered_at } : {}) }));
    const messages = this.db.prepare('SELECT ts, kind FROM messages WHERE session_key = ? ORDER BY ts').all(key) as { ts: string; kind: string }[];
    return { ...this.info(row), evidence, answers, messages };
  }

  thread(key: string): { summaryTs?: string; meta: Record<string, string> } | undefined {
    const row = this.db.prepare('SELECT summary_ts, meta FROM sessions WHERE key = ?').get(key) as Pick<SessionRow, 'summary_ts' | 'meta'> | undefined;
    return row ? { ...(row.summary_ts ? { summaryTs: row.summary_ts } : {}), meta: JSON.parse(row.meta) as Record<string, string> } : undefined;
  }

  addEvidence(key: string, batch: EvidenceBatch): void {
    this.db
      .prepare('INSERT INTO evidence (session_key, input, facts, problems, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key, batch.input, JSON.stringify(batch.facts), JSON.stringify(batch.problems), batch.addedBy ?? null, batch.addedAt);
    this.touch(key);
  }

  addAnswer(key: string, answer: Answer): void {
    this.db
      .prepare('INSERT INTO answers (session_key, question, value, answered_by, answered_at) VALUES (?, ?, ?, ?, ?)')
      .run(key, answer.question, answer.value, answer.by ?? null, answer.at ?? null);
    this.touch(key);
  }

  setSummaryTs(key: string, ts: string): void {
    this.db.prepare('UPDATE sessions SET summary_ts = ?, updated_at = ? WHERE key = ?').run(ts, this.now().toISOString(), key);
  }

  recordMessage(key: string, ts: string, kind: string): void {
    this.db.prepare('INSERT OR REPLACE INTO messages (session_key, ts, kind) VALUES (?, ?, ?)').run(key, ts, kind);
  }

  setMeta(key: string, name: string, value: string): void {
    // json_set keeps this a single statement: no read-modify-write race.
    this.db.prepare("UPDATE sessions SET meta = json_set(meta, '$.' || ?, ?) WHERE key = ?").run(name, value, key);
  }

  claim(dedupeKey: string, ttlMs = this.dedupeTtlMs): boolean {
    const now = this.now().getTime();
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM seen WHERE key = ? AND expires_at <= ?').run(dedupeKey, now);
      return this.db.prepare('INSERT OR IGNORE INTO seen (key, expires_at) VALUES (?, ?)').run(dedupeKey, now + ttlMs).changes === 1;
    })();
  }

  purge(now = this.now()): { sessions: number; claims: number } {
    const cutoff = new Date(now.getTime() - this.retentionMs).toISOString();
    const sessions = this.db.prepare('DELETE FROM sessions WHERE updated_at < ?').run(cutoff).changes;
    const claims = this.db.prepare('DELETE FROM seen WHERE expires_at <= ?').run(now.getTime()).changes;
    return { sessions, claims };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
