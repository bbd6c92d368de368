import { afterEach, describe, expect, it } from 'vitest';
import { LockTimeoutError } from '../../src/store/errors.js';
import type { Store } from '../../src/store/types.js';
import { postgresAvailable, STORE_KINDS, type Database } from './stores.js';

// The same contract for the embedded store and the shared one. "Two
// replicas" are two store instances on one database: separate connections
// (Postgres) or separate handles on one file (SQLite), as two processes have.

const fact = (value: string) => ({ name: 'server.push_magic', value, source: { kind: 'pasted' as const, input: 'p' }, attrs: { zeta: '1', alpha: '2' } });
const DAY = 86_400_000;

/** A clock the test moves by hand, so that expiry and staleness need no waiting. */
function clock(start = '2026-01-01T00:00:00.000Z') {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

for (const kind of STORE_KINDS) {
  const run = kind.name === 'postgres' ? postgresAvailable() : true;
  describe.skipIf(!run)(`the ${kind.name} store`, () => {
    let db: Database;
    const fresh = () => (db = kind.database());
    afterEach(async () => {
      await db?.drop();
    });

    describe('cases', () => {
      it('keeps evidence, answers, messages, settings and the summary across a reopen', async () => {
        fresh();
        const a = await db.open();
        await a.openCase('C1:1.1', { channel: 'C1', threadTs: '1.1', meta: { startedBy: 'U1' } });
        await a.addEvidence('C1:1.1', { input: 'MDM.plist', facts: [fact('M')], problems: [], addedBy: 'U1', addedAt: '2026-01-01T00:00:00.000Z' });
        await a.addAnswer('C1:1.1', { question: 'q.mdm.enrolled', value: 'yes', by: 'U2', at: '2026-01-01T00:01:00.000Z' });
        expect(await a.claimSummary('C1:1.1', '1.2')).toBe('1.2');
        await a.recordMessage('C1:1.1', '1.2', 'summary');
        await a.setMeta('C1:1.1', 'attachedReport', 'abc');
        await a.close();
        const b = await db.open();
        const s = await b.getCase('C1:1.1');
        expect(s).toMatchObject({
          channel: 'C1',
          threadTs: '1.1',
          summaryTs: '1.2',
          meta: { startedBy: 'U1', attachedReport: 'abc' },
          evidence: [{ input: 'MDM.plist', facts: [fact('M')], addedBy: 'U1' }],
          answers: [{ question: 'q.mdm.enrolled', value: 'yes', by: 'U2', at: '2026-01-01T00:01:00.000Z' }],
          messages: [{ ts: '1.2', kind: 'summary' }],
        });
        // Facts come back byte for byte, keys in their order: reports are compared that way.
        expect(JSON.stringify(s!.evidence[0]!.facts)).toBe(JSON.stringify([fact('M')]));
        // Opening an existing session again changes nothing.
        await b.openCase('C1:1.1', { channel: 'C1', threadTs: '1.1', meta: { startedBy: 'someone else' } });
        expect((await b.getCase('C1:1.1'))!.meta.startedBy).toBe('U1');
        expect(await b.hasCase('C1:1.1')).toBe(true);
        expect(await b.hasCase('C1:9.9')).toBe(false);
        expect(await b.getCase('C1:9.9')).toBeUndefined();
      });

      it('records its migrations once, even when two replicas start together', async () => {
        fresh();
        const [a, b] = await Promise.all([db.open(), db.open()]);
        expect(await a.appliedMigrations()).toEqual([1, 2, 3]);
        expect(await b.appliedMigrations()).toEqual([1, 2, 3]);
      });

      it('keeps settings two replicas write at once', async () => {
        fresh();
        const [a, b] = [await db.open(), await db.open()];
        await a.openCase('k', { channel: 'C', threadTs: '1' });
        await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).setMeta('k', `n${i}`, String(i))));
        expect((await a.getCase('k'))!.meta).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`n${i}`, String(i)])));
      });

      it('purges cases untouched for longer than the retention period, with their rows', async () => {
        fresh();
        const c = clock();
        const s = await db.open({ now: c.now, retentionMs: 30 * DAY });
        await s.openCase('old', { channel: 'C', threadTs: '1' });
        await s.addEvidence('old', { input: 'x', facts: [fact('M')], problems: [], addedAt: c.now().toISOString() });
        await s.beginScan('old', { input: 'big.tar.gz', source: { id: 'F1' }, owner: 'r1', addedAt: c.now().toISOString() });
        c.advance(20 * DAY);
        await s.openCase('recent', { channel: 'C', threadTs: '2' });
        c.advance(11 * DAY); // old: 31 days idle; recent: 11
        expect((await s.purge()).cases).toBe(1);
        expect(await s.hasCase('old')).toBe(false);
        expect(await s.hasCase('recent')).toBe(true);
        expect(await s.scans('old')).toEqual([]);
      });
    });

    describe('delivery dedupe', () => {
      it('lets the first delivery of a key through, in any replica, until it expires', async () => {
        fresh();
        const c = clock();
        const [a, b] = [await db.open({ now: c.now }), await db.open({ now: c.now })];
        expect(await a.claim('event:Ev1', 60_000)).toBe(true);
        expect(await a.claim('event:Ev1', 60_000)).toBe(false);
        expect(await b.claim('event:Ev1', 60_000)).toBe(false);
        c.advance(61_000);
        expect(await b.claim('event:Ev1', 60_000)).toBe(true);
      });

      it('gives a key claimed by two replicas at the same moment to exactly one of them', async () => {
        fresh();
        const [a, b] = [await db.open(), await db.open()];
        const keys = Array.from({ length: 20 }, (_, i) => `event:Ev${i}`);
        const results = await Promise.all(keys.flatMap((k) => [a.claim(k), b.claim(k)]));
        for (let i = 0; i < keys.length; i++) expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
      });
    });

    describe('the summary message', () => {
      it('is the first one claimed; a later claim gets that one back', async () => {
        fresh();
        const [a, b] = [await db.open(), await db.open()];
        await a.openCase('k', { channel: 'C', threadTs: '1' });
        const [x, y] = await Promise.all([a.claimSummary('k', '1.5'), b.claimSummary('k', '1.6')]);
        expect(x).toBe(y);
        expect(['1.5', '1.6']).toContain(x);
        expect(await a.claimSummary('k', '1.7')).toBe(x);
        expect((await b.getCase('k'))!.summaryTs).toBe(x);
      });

      it('is replaced by a report posted anew only while it is still the one replaced (two replicas: one new summary)', async () => {
        fresh();
        const [a, b] = [await db.open(), await db.open()];
        await a.openCase('k', { channel: 'C', threadTs: '1' });
        await a.claimSummary('k', '1.5');
        const [x, y] = await Promise.all([a.replaceSummary('k', '1.5', '1.8'), b.replaceSummary('k', '1.5', '1.9')]);
        expect(x).toBe(y);
        expect(['1.8', '1.9']).toContain(x);
        expect(await a.replaceSummary('k', '1.5', '2.0')).toBe(x); // the old one is no longer the summary
        expect((await b.thread('k'))!.summaryTs).toBe(x);
      });
    });

    describe('answers', () => {
      it('lets the answer given later stand, whichever arrives first, and says which one it replaced', async () => {
        fresh();
        const s = await db.open();
        await s.openCase('k', { channel: 'C', threadTs: '1' });
        expect(await s.addAnswer('k', { question: 'q.mdm.wiped', value: 'no', by: 'U1', at: '2026-01-01T10:00:00.000Z' })).toEqual({});
        // U3 clicked before U2, but U3's click reached the bot last.
        const u2 = await s.addAnswer('k', { question: 'q.mdm.wiped', value: 'yes', by: 'U2', at: '2026-01-01T10:05:00.000Z' });
        expect(u2).toEqual({ superseded: { question: 'q.mdm.wiped', value: 'no', by: 'U1', at: '2026-01-01T10:00:00.000Z' } });
        const u3 = await s.addAnswer('k', { question: 'q.mdm.wiped', value: 'unknown', by: 'U3', at: '2026-01-01T10:04:00.000Z' });
        expect(u3).toEqual({
          superseded: { question: 'q.mdm.wiped', value: 'no', by: 'U1', at: '2026-01-01T10:00:00.000Z' },
          supersededBy: { question: 'q.mdm.wiped', value: 'yes', by: 'U2', at: '2026-01-01T10:05:00.000Z' },
        });
        // Every answer is kept, in the order given: the engine lets the last one stand.
        expect((await s.getCase('k'))!.answers.map((a) => a.by)).toEqual(['U1', 'U3', 'U2']);
      });

      it('records two answers given at once in two replicas, and exactly one of them stands', async () => {
        fresh();
        const [a, b] = [await db.open(), await db.open()];
        await a.openCase('k', { channel: 'C', threadTs: '1' });
        const at = '2026-01-01T10:00:00.000Z';
        const [ra, rb] = await Promise.all([
          a.addAnswer('k', { question: 'q.mdm.wiped', value: 'yes', by: 'UA', at }),
          b.addAnswer('k', { question: 'q.mdm.wiped', value: 'no', by: 'UB', at }),
        ]);
        const answers = (await a.getCase('k'))!.answers;
        expect(answers).toHaveLength(2);
        const standing = answers.at(-1)!;
        const [winner, loser] = standing.by === 'UA' ? [ra, rb] : [rb, ra];
        // The one that stands says whose answer it replaced; the other, if it was recorded second, knows a later answer stands.
        expect(winner.supersededBy).toBeUndefined();
        expect(winner.superseded?.by).toBe(standing.by === 'UA' ? 'UB' : 'UA');
        expect(loser.superseded).toBeUndefined();
        if (loser.supersededBy) expect(loser.supersededBy.by).toBe(standing.by);
      });
    });

    describe('the thread lock', () => {
      it('runs the work of one thread one piece at a time across replicas, and other threads alongside', async () => {
        fresh();
        const [a, b] = [await db.open(), await db.open()];
        const spans: { key: string; start: number; end: number }[] = [];
        // t1's pieces hold their lock until t2 has run (or 3 s pass): if one lock held every thread, t2 would
        // only start after t1's first piece gave up waiting, whatever the machine's load.
        let t2Ran!: () => void;
        const t2Done = new Promise<void>((r) => (t2Ran = r));
        const work = (store: Store, key: string) =>
          store.withThreadLock(key, async () => {
            const start = performance.now();
            if (key === 't1') await Promise.race([t2Done, new Promise((r) => setTimeout(r, 3000))]);
            await new Promise((r) => setTimeout(r, 30));
            spans.push({ key, start, end: performance.now() });
            if (key === 't2') t2Ran();
          });
        await Promise.all([work(a, 't1'), work(b, 't1'), work(a, 't1'), work(b, 't1'), work(a, 't2'), work(b, 't3')]);
        const t1 = spans.filter((s) => s.key === 't1').sort((x, y) => x.start - y.start);
        expect(t1).toHaveLength(4);
        for (let i = 1; i < t1.length; i++) expect(t1[i]!.start).toBeGreaterThanOrEqual(t1[i - 1]!.end);
        // Other threads did not wait for t1's queue: t2 ended while t1's first piece still held the lock.
        const t2 = spans.find((s) => s.key === 't2')!;
        expect(t2.end).toBeLessThanOrEqual(t1[0]!.end);
      });

      it('gives up with LockTimeoutError when the thread stays busy, and is free again after a failure', async () => {
        fresh();
        const [a, b] = [await db.open(), await db.open()];
        let release!: () => void;
        const held = a.withThreadLock('t', () => new Promise<void>((r) => (release = r)));
        await expect.poll(() => release).toBeTypeOf('function');
        await expect(b.withThreadLock('t', async () => 'never', { timeoutMs: 150 })).rejects.toBeInstanceOf(LockTimeoutError);
        await expect(a.withThreadLock('t', async () => 'never', { timeoutMs: 150 })).rejects.toBeInstanceOf(LockTimeoutError);
        release();
        await held;
        await expect(b.withThreadLock('t', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
        expect(await a.withThreadLock('t', async () => 'free', { timeoutMs: 2000 })).toBe('free');
      });

      it('lets work that holds the thread call helpers that take the same thread, without waiting on itself', async () => {
        fresh();
        const s = await db.open();
        const order: string[] = [];
        await s.withThreadLock('t', async () => {
          order.push('outer');
          await s.withThreadLock('t', async () => void order.push('inner'), { timeoutMs: 200 });
        });
        // Work started elsewhere still waits for the holder.
        let release!: () => void;
        const held = s.withThreadLock('t', () => new Promise<void>((r) => (release = r)));
        await expect.poll(() => release).toBeTypeOf('function');
        await expect(s.withThreadLock('t', async () => undefined, { timeoutMs: 100 })).rejects.toBeInstanceOf(LockTimeoutError);
        release();
        await held;
        expect(order).toEqual(['outer', 'inner']);
      });

      it('is freed when the replica holding it dies', async () => {
        fresh();
        const a = await db.open({ leaseMs: 300 });
        const b = await db.open({ leaseMs: 300 });
        let entered = false;
        void a
          .withThreadLock('t', () => {
            entered = true;
            return new Promise<void>(() => undefined); // never finishes: the process dies first
          })
          .catch(() => undefined);
        await expect.poll(() => entered).toBe(true);
        await db.crash(a);
        expect(await b.withThreadLock('t', async () => 'taken over', { timeoutMs: 5000 })).toBe('taken over');
      });
    });

    describe('scans in flight', () => {
      it('are listed while they run and forgotten when they end', async () => {
        fresh();
        const s = await db.open();
        await s.openCase('k', { channel: 'C', threadTs: '1' });
        const scan = await s.beginScan('k', {
          input: 'sysdiagnose.tar.gz',
          source: { id: 'F1', size: 5 },
          owner: 'r1',
          addedBy: 'U1',
          addedAt: '2026-01-01T00:00:00.000Z',
        });
        expect(await s.scans('k')).toEqual([
          expect.objectContaining({
            id: scan.id,
            key: 'k',
            input: 'sysdiagnose.tar.gz',
            source: { id: 'F1', size: 5 },
            owner: 'r1',
            attempts: 1,
            addedBy: 'U1',
          }),
        ]);
        await s.endScan(scan.id);
        expect(await s.scans('k')).toEqual([]);
      });

      it('of a replica that stopped beating go to exactly one other replica, once', async () => {
        fresh();
        const c = clock();
        const [a, b, x] = [await db.open({ now: c.now }), await db.open({ now: c.now }), await db.open({ now: c.now })];
        await a.openCase('k', { channel: 'C', threadTs: '1' });
        const at = c.now().toISOString();
        await a.beginScan('k', { input: 'one.tar.gz', source: { id: 'F1' }, owner: 'dead', addedAt: at });
        await a.beginScan('k', { input: 'two.log', source: { id: 'F2' }, owner: 'dead', addedAt: at });
        await a.beginScan('k', { input: 'three.log', source: { id: 'F3' }, owner: 'alive', addedAt: at });
        c.advance(10_000);
        expect(await a.heartbeat('alive')).toBe(1);
        // Fresh enough: nothing to take.
        expect(await b.takeStaleScans('b', 30_000)).toEqual([]);
        c.advance(25_000); // dead: 35 s silent; alive: 25 s
        const [forB, forX] = await Promise.all([b.takeStaleScans('b', 30_000), x.takeStaleScans('x', 30_000)]);
        const taken = [...forB, ...forX];
        expect(taken.map((s) => s.input).sort()).toEqual(['one.tar.gz', 'two.log']);
        expect(taken.every((s) => s.attempts === 2)).toBe(true);
        expect(await b.takeStaleScans('b', 30_000)).toEqual([]);
        // The new owner's own scans are not stale to itself.
        c.advance(60_000);
        await a.heartbeat('alive');
        const mine = forB.length ? 'b' : 'x';
        expect(await (mine === 'b' ? b : x).takeStaleScans(mine, 30_000)).toEqual([]);
      });

      it('of a replica that stops cleanly are handed over at once', async () => {
        fresh();
        const c = clock();
        const [a, b] = [await db.open({ now: c.now }), await db.open({ now: c.now })];
        await a.openCase('k', { channel: 'C', threadTs: '1' });
        await a.beginScan('k', { input: 'one.tar.gz', source: { id: 'F1' }, owner: 'a', addedAt: c.now().toISOString() });
        expect(await b.takeStaleScans('b', 30_000)).toEqual([]);
        expect(await a.releaseScans('a')).toBe(1);
        expect((await b.takeStaleScans('b', 30_000)).map((s) => s.input)).toEqual(['one.tar.gz']);
      });
    });

    describe('health', () => {
      it('answers a ping while open and fails it once closed', async () => {
        fresh();
        const s = await db.open();
        await expect(s.ping()).resolves.toBeUndefined();
        await s.close();
        await expect(s.ping()).rejects.toThrow();
      });
    });
  });
}
