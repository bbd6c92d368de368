import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressPacer } from '../../src/slack/edits.js';

// Four bundles read at once, each thread offering its progress far more often than Slack allows
// edits: what goes out stays under the shared rate, and every thread gets its turn.

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function offerEvery(pacer: ProgressPacer, keys: string[], everyMs: number, forMs: number, sent: { key: string; at: number }[]) {
  for (let t = 0; t < forMs; t += everyMs)
    setTimeout(() => {
      for (const key of keys) pacer.offer(key, async () => void sent.push({ key, at: Date.now() }));
    }, t);
}

describe('progress edits of several threads', () => {
  it('stay within the shared rate (20 a minute, 3 at once after a quiet spell), whatever each thread offers', async () => {
    const pacer = new ProgressPacer(20, 3);
    const sent: { key: string; at: number }[] = [];
    offerEvery(pacer, ['t1', 't2', 't3', 't4'], 200, 120_000, sent);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent.length).toBeLessThanOrEqual(3 + 40);
    expect(sent.length).toBeGreaterThanOrEqual(40); // the rate is used, not wasted
    // In any minute, no more than the burst plus a minute's worth.
    for (const { at } of sent) expect(sent.filter((s) => s.at >= at && s.at < at + 60_000).length).toBeLessThanOrEqual(23);
  });

  it('take turns: each of four threads gets a quarter of the edits', async () => {
    const pacer = new ProgressPacer(20, 3);
    const sent: { key: string; at: number }[] = [];
    offerEvery(pacer, ['t1', 't2', 't3', 't4'], 100, 60_000, sent);
    await vi.advanceTimersByTimeAsync(60_000);
    const per = ['t1', 't2', 't3', 't4'].map((k) => sent.filter((s) => s.key === k).length);
    expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
  });

  it("send a thread's latest state only: offers made while it waits replace each other", async () => {
    const pacer = new ProgressPacer(60, 1);
    const shown: number[] = [];
    pacer.offer('t1', async () => void shown.push(0)); // goes out at once
    for (let i = 1; i <= 5; i++) pacer.offer('t1', async () => void shown.push(i));
    await vi.advanceTimersByTimeAsync(1000);
    expect(shown).toEqual([0, 5]);
  });

  it('hold for as long as Slack asked after a 429', async () => {
    const pacer = new ProgressPacer(600, 3);
    const sent: number[] = [];
    pacer.pause(5000);
    expect(pacer.holdMs()).toBe(5000);
    pacer.offer('t1', async () => void sent.push(Date.now()));
    await vi.advanceTimersByTimeAsync(4999);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([5000]);
  });

  it('stop for a thread whose report is being shown: its waiting edit is dropped and one in flight is waited for', async () => {
    const pacer = new ProgressPacer(1, 1);
    let finish!: () => void;
    const events: string[] = [];
    pacer.offer(
      't1',
      () =>
        new Promise<void>((r) => {
          finish = () => {
            events.push('progress sent');
            r();
          };
        }),
    );
    pacer.offer('t1', async () => void events.push('stale progress sent'));
    const settled = pacer.settle('t1').then(() => events.push('report may be shown'));
    await vi.advanceTimersByTimeAsync(10);
    expect(events).toEqual([]);
    finish();
    await settled;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(events).toEqual(['progress sent', 'report may be shown']);
  });
});
