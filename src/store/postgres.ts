import type pg from 'pg';
import type { Answer } from '../engine/answers.js';
import { DEFAULT_LOCK_TIMEOUT_MS, lockThread, TimedKeyedMutex } from './localLock.js';
import { holdAdvisoryLock } from './postgresLocks.js';
import { PostgresScans } from './postgresScans.js';
import { DelegatesScans } from './scanDelegate.js';
import { applyMigrations, checkSettings, describeDatabaseUrl, openPools, startWhenReachable } from './postgresStartup.js';
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
import type { AnswerRecorded, CaseSnapshot, Store, EvidenceBatch, EvidenceJson, LockOptions, CaseInfo, CaseState } from './types.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** The schema the tables live in (created if missing), so the database can be shared. */
  schema?: string;
  retentionMs: number;
  dedupeTtlMs?: number;
  now?: () => Date;
  lockTimeoutMs?: number;
  /** Connections for queries; as many again are kept for thread locks. */
  poolSize?: number;
  /** How long start-up keeps trying to reach a database that is still starting. */
  connectTimeoutMs?: number;
  /** The setting that named the URL, for error messages. */
  variable?: string;
  /** How the connections name themselves in pg_stat_activity (the lock connections add "-locks"). */
  applicationName?: string;
  /** Errors of idle connections (the server restarted): logged, never thrown. */
  onError?: (e: Error) => void;
}

const DAY = 86_400_000;
/**
 * The shared store for several replicas: Postgres through `pg`. Atomic
 * steps are single statements or short transactions; a thread's work is
 * serialised by a transaction-scoped advisory lock held on a connection of
 * its own, which Postgres drops the moment a replica dies.
 */
export class PostgresStore extends DelegatesScans implements Store {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly lockPool: pg.Pool;
  private readonly local = new TimedKeyedMutex();
  private readonly retentionMs: number;
  private readonly dedupeTtlMs: number;
  private readonly lockTimeoutMs: number;
  private readonly now: () => Date;
  /** Reads in flight. */
  protected readonly inFlight: PostgresScans;

  private constructor(opts: PostgresStoreOptions) {
    super();
    this.schema = opts.schema ?? 'pushcheck';
    this.location = describeDatabaseUrl(opts.url);
    this.retentionMs = opts.retentionMs;
    this.dedupeTtlMs = opts.dedupeTtlMs ?? DAY;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.now = opts.now ?? (() => new Date());
    ({ pool: this.pool, lockPool: this.lockPool } = openPools(opts.url, this.schema, opts));
    this.inFlight = new PostgresScans(this.pool, this.now);
  }

  /** Connects (waiting a while for a database that is still starting) and applies the migrations. */
  static async connect(opts: PostgresStoreOptions): Promise<PostgresStore> {
    const variable = opts.variable ?? 'PUSHCHECK_DATABASE_URL';
    checkSettings(opts.url, opts.schema ?? 'pushcheck', variable);
    const store = new PostgresStore(opts);
    await startWhenReachable(() => store.tx((c) => applyMigrations(c, store.schema, store.now)), {
      timeoutMs: opts.connectTimeoutMs ?? 30_000,
      variable,
      location: store.location,
      close: () => store.close(),
    });
    return store;
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query(begin);
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async appliedMigrations(): Promise<number[]> {
    return (await this.pool.query<{ version: number }>('SELECT version FROM migrations ORDER BY version')).rows.map((r) => r.version);
  }

  async openCase(key: string, init: { channel: string; threadTs: string; meta?: Record<string, string> }): Promise<CaseInfo> {
    const at = this.now().toISOString();
    await this.pool.query(
      'INSERT INTO cases (key, channel, thread_ts, created_at, updated_at, meta) VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (key) DO NOTHING',
      [key, init.channel, init.threadTs, at, JSON.stringify(init.meta ?? {})],
    );
    const row = (await this.pool.query<CaseRow>('SELECT * FROM cases WHERE key = $1', [key])).rows[0];
    if (!row) throw new Error(`no case ${key}`); // purged between the two statements
    return caseInfo(row);
  }

  async thread(key: string): Promise<{ summaryTs?: string; meta: Record<string, string> } | undefined> {
    const row = (await this.pool.query<Pick<CaseRow, 'summary_ts' | 'meta'>>('SELECT summary_ts, meta FROM cases WHERE key = $1', [key])).rows[0];
    return row ? threadInfo(row) : undefined;
  }

  async hasCase(key: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM cases WHERE key = $1', [key])).rowCount === 1;
  }

  async getCase(key: string): Promise<CaseState | undefined> {
    // One snapshot: evidence and answers as they stood together.
    return this.tx(async (c) => {
      const row = (await c.query<CaseRow>('SELECT * FROM cases WHERE key = $1', [key])).rows[0];
      if (!row) return undefined;
      const evidence = (
        await c.query<EvidenceRow>('SELECT input, facts, problems, added_by, added_at FROM evidence WHERE case_key = $1 ORDER BY id', [key])
      ).rows.map(evidenceBatch);
      const answers = (
        await c.query<AnswerRow>(`SELECT question, value, answered_by, answered_at FROM answers WHERE case_key = $1 ORDER BY ${ANSWER_ORDER}`, [key])
      ).rows.map(answer);
      const messages = (await c.query<{ ts: string; kind: string }>('SELECT ts, kind FROM messages WHERE case_key = $1 ORDER BY ts', [key])).rows;
      return { ...caseInfo(row), evidence, answers, messages };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async addEvidence(key: string, batch: EvidenceBatch): Promise<void> {
    return this.addEvidenceJson(key, { ...batch, facts: JSON.stringify(batch.facts), problems: JSON.stringify(batch.problems) });
  }

  async addEvidenceJson(key: string, batch: EvidenceJson): Promise<void> {
    await this.pool.query(
      `WITH touched AS (UPDATE cases SET updated_at = $7 WHERE key = $1)
       INSERT INTO evidence (case_key, input, facts, problems, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [key, batch.input, batch.facts, batch.problems, batch.addedBy ?? null, batch.addedAt, this.now().toISOString()],
    );
  }

  async caseSnapshot(key: string): Promise<CaseSnapshot | undefined> {
    // One snapshot: the batches and answers as they stood together.
    return this.tx(async (c) => {
      if (!(await c.query('SELECT 1 FROM cases WHERE key = $1', [key])).rows.length) return undefined;
      const ids = (await c.query<{ id: string }>('SELECT id FROM evidence WHERE case_key = $1 ORDER BY id', [key])).rows;
      const answers = (
        await c.query<AnswerRow>(`SELECT question, value, answered_by, answered_at FROM answers WHERE case_key = $1 ORDER BY ${ANSWER_ORDER}`, [key])
      ).rows.map(answer);
      return { batchIds: ids.map((r) => String(r.id)), answers };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async evidenceJson(key: string, ids: readonly string[]): Promise<(EvidenceJson & { id: string })[]> {
    if (!ids.length) return [];
    const { rows } = await this.pool.query<EvidenceRow & { id: string }>(
      'SELECT id, input, facts, problems, added_by, added_at FROM evidence WHERE case_key = $1 AND id = ANY($2::bigint[]) ORDER BY id',
      [key, ids],
    );
    return rows.map(evidenceJson);
  }

  async addAnswer(key: string, a: Answer): Promise<AnswerRecorded> {
    return this.tx(async (c) => {
      // The case's row lock orders answers to one thread, whichever replica records them.
      await c.query('SELECT 1 FROM cases WHERE key = $1 FOR UPDATE', [key]);
      const { rows } = await c.query<{ id: string }>(
        'INSERT INTO answers (case_key, question, value, answered_by, answered_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [key, a.question, a.value, a.by ?? null, a.at ?? null],
      );
      await c.query('UPDATE cases SET updated_at = $2 WHERE key = $1', [key, this.now().toISOString()]);
      const ordered = (
        await c.query<AnswerRow & { id: string }>(
          `SELECT id, question, value, answered_by, answered_at FROM answers WHERE case_key = $1 AND question = $2 ORDER BY ${ANSWER_ORDER}`,
          [key, a.question],
        )
      ).rows;
      return answerPlace(ordered, rows[0]!.id);
    });
  }

  async claimSummary(key: string, ts: string): Promise<string> {
    await this.pool.query('UPDATE cases SET summary_ts = $2, updated_at = $3 WHERE key = $1 AND summary_ts IS NULL', [key, ts, this.now().toISOString()]);
    const row = (await this.pool.query<{ summary_ts: string | null }>('SELECT summary_ts FROM cases WHERE key = $1', [key])).rows[0];
    if (!row?.summary_ts) throw new Error(`no case ${key}`);
    return row.summary_ts;
  }

  async replaceSummary(key: string, from: string, to: string): Promise<string> {
    await this.pool.query('UPDATE cases SET summary_ts = $3, updated_at = $4 WHERE key = $1 AND summary_ts = $2', [key, from, to, this.now().toISOString()]);
    const row = (await this.pool.query<{ summary_ts: string | null }>('SELECT summary_ts FROM cases WHERE key = $1', [key])).rows[0];
    if (!row?.summary_ts) throw new Error(`no case ${key}`);
    return row.summary_ts;
  }

  async recordMessage(key: string, ts: string, kind: string): Promise<void> {
    await this.pool.query('INSERT INTO messages (case_key, ts, kind) VALUES ($1, $2, $3) ON CONFLICT (case_key, ts) DO UPDATE SET kind = EXCLUDED.kind', [
      key,
      ts,
      kind,
    ]);
  }

  async setMeta(key: string, name: string, value: string): Promise<void> {
    // One statement: no read-modify-write race between replicas.
    await this.pool.query('UPDATE cases SET meta = jsonb_set(meta, ARRAY[$2::text], to_jsonb($3::text)) WHERE key = $1', [key, name, value]);
  }

  async claim(dedupeKey: string, ttlMs = this.dedupeTtlMs): Promise<boolean> {
    const now = this.now().getTime();
    // The primary key decides: the first insert wins; an expired claim may be taken again.
    const r = await this.pool.query(
      'INSERT INTO seen (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE seen.expires_at <= $3 RETURNING key',
      [dedupeKey, now + ttlMs, now],
    );
    return r.rowCount === 1;
  }

  withThreadLock<T>(key: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.lockTimeoutMs;
    return lockThread(this.local, key, timeoutMs, fn, (until, inner) =>
      holdAdvisoryLock(this.lockPool, `pushcheck:${this.schema}:thread:${key}`, key, until, timeoutMs, inner),
    );
  }

  async purge(now = this.now()): Promise<{ cases: number; claims: number }> {
    const cutoff = new Date(now.getTime() - this.retentionMs).toISOString();
    const cases = (await this.pool.query('DELETE FROM cases WHERE updated_at < $1', [cutoff])).rowCount ?? 0;
    const claims = (await this.pool.query('DELETE FROM seen WHERE expires_at <= $1', [now.getTime()])).rowCount ?? 0;
    return { cases, claims };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.lockPool.end()]).catch(() => undefined);
  }
}
