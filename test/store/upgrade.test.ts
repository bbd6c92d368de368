import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type Migration, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../src/store/migrations.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { PG_URL, postgresAvailable } from './stores.js';

// A deployment that ran the release before the rename has its cases in
// `sessions` and `session_key`. The new code opens that database as it is,
// renames the schema in place, and every case still reads as it did.

const DAY = 86_400_000;
const KEY = 'C1:1.1';
const fact = { name: 'server.push_magic', value: 'M', source: { kind: 'pasted', input: 'p' }, attrs: { zeta: '1', alpha: '2' } };
const OLD = (list: Migration[]) => list.filter((m) => m.version <= 2);

/** What the old release wrote for one thread, in its own tables and columns. */
const OLD_ROWS: [string, unknown[]][] = [
  [
    'INSERT INTO sessions (key, channel, thread_ts, created_at, updated_at, summary_ts, meta) VALUES ($1, $2, $3, $4, $4, $5, $6)',
    [KEY, 'C1', '1.1', '2026-01-01T00:00:00.000Z', '1.2', '{"startedBy":"U1"}'],
  ],
  [
    'INSERT INTO evidence (session_key, input, facts, problems, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [KEY, 'MDM.plist', JSON.stringify([fact]), '[]', 'U1', '2026-01-01T00:00:00.000Z'],
  ],
  [
    'INSERT INTO answers (session_key, question, value, answered_by, answered_at) VALUES ($1, $2, $3, $4, $5)',
    [KEY, 'q.mdm.enrolled', 'yes', 'U2', '2026-01-01T00:01:00.000Z'],
  ],
  ['INSERT INTO messages (session_key, ts, kind) VALUES ($1, $2, $3)', [KEY, '1.2', 'summary']],
  [
    'INSERT INTO scans (id, session_key, input, source, owner, started_at, heartbeat_at, attempts, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $6)',
    ['scan-1', KEY, 'big.tar.gz', '{"id":"F1"}', 'r1', '2026-01-01T00:02:00.000Z', 0, 'U1'],
  ],
];

/** The case as the old release left it, read through the new code. */
async function expectOldCaseKept(store: Store): Promise<void> {
  expect(await store.appliedMigrations()).toEqual([1, 2, 3]);
  const c = await store.getCase(KEY);
  expect(c).toMatchObject({
    channel: 'C1',
    threadTs: '1.1',
    summaryTs: '1.2',
    meta: { startedBy: 'U1' },
    evidence: [{ input: 'MDM.plist', addedBy: 'U1', addedAt: '2026-01-01T00:00:00.000Z' }],
    answers: [{ question: 'q.mdm.enrolled', value: 'yes', by: 'U2', at: '2026-01-01T00:01:00.000Z' }],
    messages: [{ ts: '1.2', kind: 'summary' }],
  });
  expect(JSON.stringify(c!.evidence[0]!.facts)).toBe(JSON.stringify([fact]));
  expect(await store.scans(KEY)).toMatchObject([{ id: 'scan-1', input: 'big.tar.gz', source: { id: 'F1' }, owner: 'r1' }]);
  // The case goes on: new evidence and answers land beside the old ones.
  await store.addEvidence(KEY, { input: 'profile.mobileconfig', facts: [], problems: [], addedAt: '2026-01-02T00:00:00.000Z' });
  expect(await store.addAnswer(KEY, { question: 'q.mdm.enrolled', value: 'no', by: 'U3', at: '2026-01-02T00:01:00.000Z' })).toMatchObject({
    superseded: { value: 'yes' },
  });
  expect((await store.caseSnapshot(KEY))!.batchIds).toHaveLength(2);
  // The foreign keys survived the rename: purging the case takes its rows with it.
  expect((await store.purge(new Date('2027-06-01T00:00:00.000Z'))).cases).toBe(1);
  expect(await store.scans(KEY)).toEqual([]);
}

describe('a SQLite file written before cases were called cases', () => {
  it('is opened in place (the same PUSHCHECK_DB path), renamed to cases and keeps every row', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pushcheck-upgrade-')), 'data');
    mkdirSync(dir);
    const path = join(dir, 'pushcheck.db');
    const old = new Database(path);
    old.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of OLD(SQLITE_MIGRATIONS)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00.000Z');
    }
    for (const [sql, args] of OLD_ROWS) {
      const order = [...sql.matchAll(/\$(\d+)/g)].map((m) => args[Number(m[1]) - 1]);
      old.prepare(sql.replace(/\$\d+/g, '?')).run(...order);
    }
    old.close();

    // The way the bot opens it at start (main.ts: openStore with PUSHCHECK_DB).
    const store = await openStore({ sqlitePath: path, retentionMs: 30 * DAY });
    try {
      expect(store.location).toBe(path);
      const look = new Database(path, { readonly: true });
      const names = (look.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").all() as { name: string }[]).map(
        (r) => r.name,
      );
      const foreignKeys = look.pragma('foreign_key_check');
      look.close();
      expect(names.filter((n) => /session/.test(n))).toEqual([]);
      expect(names).toEqual(expect.arrayContaining(['cases', 'cases_updated_at', 'evidence_case', 'answers_case', 'scans_case']));
      expect(foreignKeys).toEqual([]);
      await expectOldCaseKept(store);
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!postgresAvailable())('a Postgres schema written before cases were called cases', () => {
  const schema = `t_upgrade_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = async () => {
    const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await c.connect();
    return c;
  };
  afterEach(async () => {
    const c = await admin();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
  });

  it('is migrated in place and keeps every row, with its constraints renamed as a new schema has them', async () => {
    const old = await admin();
    try {
      await old.query(`CREATE SCHEMA ${schema}`);
      await old.query('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const m of OLD(POSTGRES_MIGRATIONS)) {
        await old.query(m.sql);
        await old.query('INSERT INTO migrations VALUES ($1, $2, $3)', [m.version, m.name, '2026-01-01T00:00:00.000Z']);
      }
      for (const [sql, args] of OLD_ROWS) await old.query(sql, args);
    } finally {
      await old.end();
    }

    const store = await PostgresStore.connect({ url: PG_URL!, schema, retentionMs: 30 * DAY, connectTimeoutMs: 2000, poolSize: 2 });
    try {
      const c = await admin();
      const names = await c
        .query<{ name: string }>(
          `SELECT relname AS name FROM pg_class WHERE relnamespace = $1::regnamespace
           UNION SELECT conname FROM pg_constraint WHERE connamespace = $1::regnamespace
           UNION SELECT attname FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid WHERE t.relnamespace = $1::regnamespace AND t.relkind = 'r' AND a.attnum > 0
           ORDER BY 1`,
          [schema],
        )
        .finally(() => c.end());
      const all = names.rows.map((r) => r.name);
      expect(all.filter((n) => /session/.test(n))).toEqual([]);
      expect(all).toEqual(expect.arrayContaining(['cases', 'cases_pkey', 'case_key', 'evidence_case_key_fkey', 'scans_case_key_fkey']));
      await expectOldCaseKept(store);
    } finally {
      await store.close();
    }
  });
});
