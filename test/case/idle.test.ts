import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { whenIdle } from '../../src/case/idle.js';

/** Holds the main thread for `ms`, as parsing a busy log does. */
function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('work put off until the main thread is idle (the rules, loaded while a bundle is read)', () => {
  it('waits while the thread is busy and runs once it is quiet', async () => {
    let ran = 0;
    whenIdle(() => ran++);
    // Busy: every poll finds the loop running code most of the time.
    for (let i = 0; i < 8; i++) {
      busyFor(20);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(ran).toBe(0);
    await sleep(120);
    expect(ran).toBe(1);
    await sleep(80);
    expect(ran).toBe(1);
  });

  it('never runs once cancelled', async () => {
    let ran = 0;
    const cancel = whenIdle(() => ran++);
    cancel();
    await sleep(120);
    expect(ran).toBe(0);
  });

  it('keeps a task that throws to itself: its caller runs it again when it needs the result', async () => {
    let tries = 0;
    whenIdle(() => {
      tries++;
      throw new Error('rules/mdm.yml:12: not valid');
    });
    await sleep(120);
    expect(tries).toBe(1);
  });
});
