import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../src/cli/bundle.js';
import { cli, fixture } from './helpers.js';

/**
 * The package's `pushcheck` command is the CLI bundled into one file (with
 * lazily loaded chunks beside it). A user must get from it exactly what the
 * sources say, once: the same report, the same help, the same exit code.
 */

// Two levels under the repository, like dist/cli, so the bundle finds rules/ and prompts/ as the built one does.
const OUT = fileURLToPath(new URL('../../tmp/cli-bundle-test/', import.meta.url));
afterAll(() => rmSync(fileURLToPath(new URL('../../tmp/cli-bundle-test/', import.meta.url)), { recursive: true, force: true }));

function run(...argv: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(process.execPath, [`${OUT}pushcheck.js`, ...argv], { encoding: 'utf8' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, out: err.stdout };
  }
}

describe('the bundled pushcheck command', () => {
  it('is built from the sources and answers as they do, once per run', async () => {
    expect(await bundleCli(OUT, fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url)))).toBe('bundled');
    for (const argv of [
      ['help'],
      ['diagnose', fixture('notnow/nanomdm_2021_round_trip.log'), '--format', 'json'],
      ['diagnose', fixture('notnow/nanomdm_2021_round_trip.log'), '--format', 'markdown'],
      ['diagnose', fixture('mdm/server/TokenUpdate_iPhone.plist')],
    ]) {
      const bundled = run(...argv);
      const sources = await cli(...argv);
      expect(bundled, argv.join(' ')).toEqual({ code: sources.code, out: sources.out });
    }
  }, 60_000);
});
