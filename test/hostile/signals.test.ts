import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { built } from '../support/built.js';

/** Waits until `done` holds or the deadline passes (checking every 25 ms). */
async function until(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

/** Bytes written to the spool files under `tmp` so far. */
function spooled(tmp: string): number {
  let bytes = 0;
  for (const d of readdirSync(tmp).filter((n) => n.startsWith('pushcheck-zip-')))
    for (const f of readdirSync(join(tmp, d))) bytes += statSync(join(tmp, d, f), { throwIfNoEntry: false })?.size ?? 0;
  return bytes;
}

/** Runs the spooling child, signals it once its spool holds data, and returns how it ended and what it left. */
async function interrupt(signal: NodeJS.Signals): Promise<{ signal: NodeJS.Signals | null; left: string[] }> {
  const tmp = mkdtempSync(join(tmpdir(), 'pushcheck-signal-'));
  try {
    const proc = spawn(process.execPath, [built('spoolChild')], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, sig) => resolve(sig)));
    await until(() => spooled(tmp) > 0, Date.now() + 15_000);
    expect(spooled(tmp), 'the child has written to its spool').toBeGreaterThan(0);
    proc.kill(signal);
    const sig = await ended;
    return { signal: sig, left: readdirSync(tmp).filter((n) => n.startsWith('pushcheck-')) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('a scan interrupted while it spools a zip to the temp dir leaves nothing behind', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: the spool is removed and the process still ends by the signal',
    async (signal) => {
      const { signal: how, left } = await interrupt(signal);
      expect(left).toEqual([]);
      expect(how).toBe(signal);
    },
    30_000,
  );
});
