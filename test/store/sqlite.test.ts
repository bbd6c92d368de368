import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';

// What only the SQLite store has; the rest of its behaviour is in contract.test.ts, shared with Postgres.
const dbPath = () => join(mkdtempSync(join(tmpdir(), 'pushcheck-store-')), 'nested', 'cases.db');
const DAY = 86_400_000;

describe('the SQLite case store', () => {
  it('creates its folder, opens in WAL mode and records its migrations once', async () => {
    const path = dbPath();
    const a = new SqliteStore({ path, retentionMs: DAY });
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(await a.appliedMigrations()).toEqual([1, 2, 3]);
    await a.close();
    const b = new SqliteStore({ path, retentionMs: DAY });
    expect(await b.appliedMigrations()).toEqual([1, 2, 3]);
    expect(b.location).toBe(path);
    await b.close();
  });
});
