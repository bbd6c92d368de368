import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The private temp folders spools live in, removed however the process
 * ends: normally (each spool removes its own), by SIGINT or SIGTERM (a
 * killed scan left hundreds of megabytes behind), or by process.exit.
 */
const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let installed = false;

function removeAll(): void {
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: the process is ending.
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  uninstall();
  // Nobody else handles it: end the way the signal would have without us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', removeAll);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off('exit', removeAll);
}

/** A new private folder under the temp dir, removed on exit and on SIGINT/SIGTERM unless released first. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  live.add(dir);
  install();
  return dir;
}

/** Removes a folder made by makeTempDir. */
export async function removeTempDir(dir: string): Promise<void> {
  live.delete(dir);
  if (!live.size) uninstall();
  await rm(dir, { recursive: true, force: true });
}

/** Removes a folder made by makeTempDir now (a spool given up mid-write: nothing may be left when the scan returns). */
export function removeTempDirSync(dir: string): void {
  live.delete(dir);
  if (!live.size) uninstall();
  rmSync(dir, { recursive: true, force: true });
}
