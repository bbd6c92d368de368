import { describe, expect, it } from 'vitest';
import { keepScans, replicaId } from '../../src/slack/scanKeeper.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { FileScan as ScanRecord } from '../../src/slack/threads.js';
import { tempDb } from './harness.js';

describe('keeping scans in flight', () => {
  it("keeps a live replica's scans, takes a dead one's, and hands its own over when it stops", async () => {
    const path = tempDb();
    const store = new SqliteStore({ path, retentionMs: 86_400_000 });
    await store.openCase('k', { channel: 'C', threadTs: '1' });
    const [alive, dead, taker] = [replicaId(), replicaId(), replicaId()];
    expect(new Set([alive, dead, taker]).size).toBe(3);
    const at = new Date().toISOString();
    await store.beginScan('k', { input: 'alive.tar.gz', source: {}, owner: alive, addedAt: at });
    await store.beginScan('k', { input: 'dead.tar.gz', source: {}, owner: dead, addedAt: at });

    const taken: (ScanRecord & { by: string })[] = [];
    const record = (by: string) => (s: ScanRecord[]) => void taken.push(...s.map((x) => ({ ...x, by })));
    const aliveKeeper = keepScans({ store, owner: alive, staleMs: 300, onTaken: record(alive) });
    const takerKeeper = keepScans({ store, owner: taker, staleMs: 300, onTaken: record(taker) });
    // Both sweep; the dead replica's scan goes to one of them, once.
    await expect.poll(() => taken.map((s) => s.input), { timeout: 3000 }).toEqual(['dead.tar.gz']);
    // A few more beats: the live one's scan stays where it is.
    await new Promise((r) => setTimeout(r, 400));
    expect(taken.map((s) => s.input)).toEqual(['dead.tar.gz']);
    expect((await store.scans('k')).find((s) => s.input === 'alive.tar.gz')!.owner).toBe(alive);

    await aliveKeeper.stop();
    await takerKeeper.tick();
    expect(taken.map((s) => [s.input, s.by])).toContainEqual(['alive.tar.gz', taker]);
    await takerKeeper.stop();
    await store.close();
  });
});
