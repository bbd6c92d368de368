import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

/**
 * The stores the contract tests run against. Postgres needs a server:
 * PUSHCHECK_TEST_DATABASE_URL names one (`bash .ci/run` starts a throw-away
 * cluster and sets it); without it the Postgres tests are skipped and say
 * why, unless PUSHCHECK_REQUIRE_POSTGRES=1 (CI), where a missing server fails.
 */
export const PG_URL = process.env.PUSHCHECK_TEST_DATABASE_URL || undefined;
export const PG_REQUIRED = process.env.PUSHCHECK_REQUIRE_POSTGRES === '1';
export const PG_SKIP_REASON =
  'PUSHCHECK_TEST_DATABASE_URL is not set (bash .ci/run starts a PostgreSQL server and sets it; or: eval "$(bash .ci/postgres.sh start)")';

/** Says once per file why the Postgres tests did not run, or fails when CI requires them. */
export function postgresAvailable(): boolean {
  if (PG_URL) return true;
  if (PG_REQUIRED) throw new Error(`PUSHCHECK_REQUIRE_POSTGRES=1 but ${PG_SKIP_REASON}`);
  console.warn(`Postgres tests skipped: ${PG_SKIP_REASON}`);
  return false;
}

export interface StoreOptions {
  now?: () => Date;
  retentionMs?: number;
  lockTimeoutMs?: number;
  leaseMs?: number;
}

/** One database, opened by as many "processes" (store instances) as a test wants. */
export interface Database {
  open(opts?: StoreOptions): Promise<Store>;
  /** Kills an instance the way a crash would: its connections drop, its timers stop, nothing is cleaned up. */
  crash(store: Store): Promise<void>;
  /** Closes every instance and removes the database. */
  drop(): Promise<void>;
}

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  available: boolean;
  database(): Database;
}

const DAY = 86_400_000;

function sqliteDatabase(): Database {
  const path = join(mkdtempSync(join(tmpdir(), 'pushcheck-store-')), 'cases.db');
  const open: Store[] = [];
  return {
    async open(opts = {}) {
      const s = new SqliteStore({ path, retentionMs: opts.retentionMs ?? 30 * DAY, ...opts });
      open.push(s);
      return s;
    },
    async crash(store) {
      (store as SqliteStore).db.close();
    },
    async drop() {
      for (const s of open) await s.close();
    },
  };
}

let seq = 0;
function postgresDatabase(): Database {
  const schema = `t_${process.pid}_${++seq}_${randomBytes(3).toString('hex')}`;
  const open: { store: Store; app: string }[] = [];
  const admin = () => new pg.Client({ connectionString: PG_URL });
  return {
    async open(opts = {}) {
      const app = `${schema}_${open.length}`;
      const s = await PostgresStore.connect({
        url: PG_URL!,
        schema,
        applicationName: app,
        retentionMs: opts.retentionMs ?? 30 * DAY,
        connectTimeoutMs: 2000,
        poolSize: 4,
        ...opts,
      });
      open.push({ store: s, app });
      return s;
    },
    async crash(store) {
      const app = open.find((o) => o.store === store)!.app;
      const c = admin();
      await c.connect();
      try {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ($1, $2)', [app, `${app}-locks`]);
      } finally {
        await c.end();
      }
    },
    async drop() {
      for (const o of open) await Promise.race([o.store.close(), new Promise((r) => setTimeout(r, 500))]);
      const c = admin();
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

export const STORE_KINDS: StoreKind[] = [
  { name: 'sqlite', available: true, database: sqliteDatabase },
  { name: 'postgres', available: !!PG_URL, database: postgresDatabase },
];
