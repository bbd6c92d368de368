import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'pushcheck-store-')), 'nested', 'sessions.db');
const DAY = 86_400_000;
const fact = { name: 'server.push_magic', value: 'M', source: { kind: 'pasted' as const, input: 'p' } };

describe('the SQLite session store', () => {
  it('opens in WAL mode and records its migrations once', () => {
    const path = dbPath();
    const a = new SqliteStore({ path, retentionMs: DAY });
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.appliedMigrations()).toEqual([1, 2]);
    a.close();
    const b = new SqliteStore({ path, retentionMs: DAY });
    expect(b.appliedMigrations()).toEqual([1, 2]);
    b.close();
  });

  it('keeps a session\'s evidence, answers and messages across a reopen', () => {
    const path = dbPath();
    const a = new SqliteStore({ path, retentionMs: DAY });
    a.openSession('C1:1.1', { channel: 'C1', threadTs: '1.1', meta: { startedBy: 'U1' } });
    a.addEvidence('C1:1.1', { input: 'MDM.plist', facts: [fact], problems: [], addedBy: 'U1', addedAt: '2026-01-01T00:00:00.000Z' });
    a.addAnswer('C1:1.1', { question: 'q.mdm.enrolled', value: 'yes', by: 'U2', at: '2026-01-01T00:01:00.000Z' });
    a.setSummaryTs('C1:1.1', '1.2');
    a.recordMessage('C1:1.1', '1.2', 'summary');
    a.setMeta('C1:1.1', 'attachedReport', 'abc');
    a.close();
    const b = new SqliteStore({ path, retentionMs: DAY });
    expect(b.getSession('C1:1.1')).toMatchObject({
      channel: 'C1',
      threadTs: '1.1',
      summaryTs: '1.2',
      meta: { startedBy: 'U1', attachedReport: 'abc' },
      evidence: [{ input: 'MDM.plist', facts: [fact], addedBy: 'U1' }],
      answers: [{ question: 'q.mdm.enrolled', value: 'yes', by: 'U2', at: '2026-01-01T00:01:00.000Z' }],
      messages: [{ ts: '1.2', kind: 'summary' }],
    });
    // Opening an existing session again changes nothing.
    b.openSession('C1:1.1', { channel: 'C1', threadTs: '1.1', meta: { startedBy: 'someone else' } });
    expect(b.getSession('C1:1.1')!.meta.startedBy).toBe('U1');
    b.close();
  });

  it('claims a delivery key once until it expires, and across a reopen', () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const path = dbPath();
    const a = new SqliteStore({ path, retentionMs: DAY, now: () => now });
    expect(a.claim('event:Ev1', 60_000)).toBe(true);
    expect(a.claim('event:Ev1', 60_000)).toBe(false);
    a.close();
    const b = new SqliteStore({ path, retentionMs: DAY, now: () => now });
    expect(b.claim('event:Ev1', 60_000)).toBe(false);
    now = new Date(now.getTime() + 61_000);
    expect(b.claim('event:Ev1', 60_000)).toBe(true);
    b.close();
  });

  it('purges sessions untouched for longer than the retention period, with their rows', () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const s = new SqliteStore({ path: ':memory:', retentionMs: 30 * DAY, now: () => now });
    s.openSession('old', { channel: 'C', threadTs: '1' });
    s.addEvidence('old', { input: 'x', facts: [fact], problems: [], addedAt: now.toISOString() });
    now = new Date(now.getTime() + 20 * DAY);
    s.openSession('recent', { channel: 'C', threadTs: '2' });
    now = new Date(now.getTime() + 11 * DAY); // old: 31 days idle; recent: 11
    expect(s.purge().sessions).toBe(1);
    expect(s.hasSession('old')).toBe(false);
    expect(s.hasSession('recent')).toBe(true);
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM evidence').get()).toEqual({ n: 0 });
    s.close();
  });
});
