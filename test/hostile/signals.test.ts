import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./spoolChild.ts', import.meta.url));

/** Runs the spooling child, signals it once its spool folder exists, and returns how it ended and what it left. */
async function interrupt(signal: NodeJS.Signals): Promise<{ signal: NodeJS.Signals | null; left: string[] }> {
  const tmp = mkdtempSync(join(tmpdir(), 'pushcheck-signal-'));
  try {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, sig) => resolve(sig)));
    const deadline = Date.now() + 15_000;
    while (!readdirSync(tmp).some((n) => n.startsWith('pushcheck-zip-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp).filter((n) => n.startsWith('pushcheck-zip-')), 'the child started spooling').not.toEqual([]);
    await new Promise((r) => setTimeout(r, 200)); // let the spool grow a little
    proc.kill(signal);
    const sig = await ended;
    return { signal: sig, left: readdirSync(tmp).filter((n) => n.startsWith('pushcheck-')) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('a scan interrupted while it spools a zip to the temp dir leaves nothing behind', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s: the spool is removed and the process still ends by the signal', async (signal) => {
    const { signal: how, left } = await interrupt(signal);
    expect(left).toEqual([]);
    expect(how).toBe(signal);
  }, 30_000);
});
