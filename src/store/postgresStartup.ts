import pg from 'pg';
import { StoreUnavailableError } from './errors.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { lockId } from './postgresLocks.js';

/** Start-up of the Postgres store: its settings checked, its connection pools, a database that is still starting waited for, the schema migrated. */

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Server errors no retry will heal: bad password, unknown role or database, bad parameters. */
const FATAL_CODES = new Set(['28P01', '28000', '3D000', '3F000', '42501', '22023', '08P01']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** host:port/database, fit for a log line: the URL without user or password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(an unparseable URL)';
  }
}

function reason(e: unknown): string {
  const err = e as { code?: string; message?: string; errors?: { message?: string }[] };
  // Node reports a refused dual-stack connect as an AggregateError with no message of its own.
  const message = err.message || err.errors?.map((x) => x.message).join('; ') || String(e);
  const codes: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
  };
  return (err.code && codes[err.code]) ?? message;
}

/** The settings checked before any connection is tried; `variable` names the setting in the error. */
export function checkSettings(url: string, schema: string, variable: string): void {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new StoreUnavailableError(variable, 'must be a URL starting with postgres:// or postgresql://');
  if (!SCHEMA_NAME.test(schema)) throw new StoreUnavailableError(variable, `the schema name "${schema}" must be lower-case letters, digits and _`);
}

/**
 * Runs `start` until it succeeds, backing off, while the database may still
 * be starting; gives up at once on an error no retry will heal, or when
 * `timeoutMs` has passed. The error then names the setting and the database.
 */
export async function startWhenReachable(
  start: () => Promise<void>,
  opts: { timeoutMs: number; variable: string; location: string; close: () => Promise<void> },
): Promise<void> {
  const until = Date.now() + opts.timeoutMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      await start();
      return;
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (FATAL_CODES.has(code) || Date.now() >= until) {
        await opts.close();
        throw new StoreUnavailableError(opts.variable, `cannot use the database at ${opts.location}: ${reason(e)}`, { cause: e });
      }
      await sleep(Math.min(delay, until - Date.now()));
    }
  }
}

/** Every missing migration, inside the caller's transaction, under a lock: replicas starting together apply each once. */
export async function applyMigrations(c: pg.PoolClient, schema: string, now: () => Date): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockId(`pushcheck:migrate:${schema}`)]);
  await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await c.query('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((await c.query<{ version: number }>('SELECT version FROM migrations')).rows.map((r) => r.version));
  for (const m of POSTGRES_MIGRATIONS) {
    if (applied.has(m.version)) continue;
    await c.query(m.sql);
    await c.query('INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now().toISOString()]);
  }
}

/**
 * The two pools of a store: one for queries, one of as many connections for
 * thread locks (a lock holds its connection for as long as the thread's work
 * runs, so locks must not starve queries). Both search `schema` first.
 */
export function openPools(
  url: string,
  schema: string,
  opts: { poolSize?: number; applicationName?: string; onError?: (e: Error) => void },
): { pool: pg.Pool; lockPool: pg.Pool } {
  const base: pg.PoolConfig = {
    connectionString: url,
    options: `-c search_path=${schema}`,
    application_name: opts.applicationName ?? 'pushcheck',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  };
  const pool = new pg.Pool({ ...base, max: opts.poolSize ?? 10 });
  const lockPool = new pg.Pool({ ...base, max: opts.poolSize ?? 10, application_name: `${opts.applicationName ?? 'pushcheck'}-locks` });
  const onError = opts.onError ?? (() => undefined);
  // Idle connections report to the pool, connections in use to themselves: both must be listened to, or a server restart kills the process.
  for (const p of [pool, lockPool]) {
    p.on('error', onError);
    p.on('connect', (client) => client.on('error', onError));
  }
  return { pool, lockPool };
}
