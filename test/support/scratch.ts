import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders for helpers that many test files share. Modules are
 * loaded once per worker (vitest.config.ts), so a folder a helper made when
 * it was loaded would be removed after the first file that used it; these
 * are made on first use in each test file and removed after it
 * (test/setup/scratch.setup.ts).
 */
const made = new Map<string, string>();

export function scratchDir(prefix: string): string {
  let dir = made.get(prefix);
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), prefix));
    made.set(prefix, dir);
  }
  return dir;
}

export function removeScratch(): void {
  for (const dir of made.values()) rmSync(dir, { recursive: true, force: true });
  made.clear();
}
