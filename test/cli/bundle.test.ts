import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../src/cli/bundle.js';
import { cli, fixture } from './helpers.js';

/**
 * The package's `pushcheck` command is the CLI bundled into one file, run
 * with the V8 code cache that training runs of the built command wrote
 * beside it. A user must get from it exactly what the sources say, once:
 * the same report, the same help, the same exit code, with the cache, and
 * without it when it is missing, damaged or made for other bytes.
 */

// Two levels under the repository, like dist/cli, so the bundle finds rules/ and prompts/ as the built one does.
const OUT = fileURLToPath(new URL('../../tmp/cli-bundle-test/', import.meta.url));
const CACHE = `${OUT}pushcheck.cjs.cache`;
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

function run(...argv: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(process.execPath, [`${OUT}pushcheck.js`, ...argv], { encoding: 'utf8' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, out: err.stdout };
  }
}

/** Runs the built command, and says whether its bundle was compiled from the code cache (PUSHCHECK_TRACE_PHASES tells). */
function runTraced(nodeFlags: string[], ...argv: string[]): { out: string; cached: boolean } {
  const r = spawnSync(process.execPath, [...nodeFlags, `${OUT}pushcheck.js`, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, PUSHCHECK_TRACE_PHASES: '1' },
  });
  expect(r.stderr).toMatch(/pushcheck phase loaded \((from the code cache|compiled from source)\)/);
  return { out: r.stdout, cached: r.stderr.includes('loaded (from the code cache)') };
}

const RUNS = [
  ['help'],
  ['diagnose', fixture('notnow/nanomdm_2021_round_trip.log'), '--format', 'json'],
  ['diagnose', fixture('notnow/nanomdm_2021_round_trip.log'), '--format', 'markdown'],
  ['diagnose', fixture('mdm/server/TokenUpdate_iPhone.plist')],
];

async function answersAsSourcesDo(): Promise<void> {
  for (const argv of RUNS) {
    const bundled = run(...argv);
    const sources = await cli(...argv);
    expect(bundled, argv.join(' ')).toEqual({ code: sources.code, out: sources.out });
  }
}

describe('the bundled pushcheck command', () => {
  beforeAll(async () => {
    expect(await bundleCli(OUT, fileURLToPath(new URL('../../src/cli/', import.meta.url)))).toBe('bundled');
  }, 120_000);

  it('is built from the sources with a code cache it uses, and answers as they do, once per run', async () => {
    expect(runTraced([], 'help').cached).toBe(true);
    await answersAsSourcesDo();
  }, 60_000);

  it('ends only once the whole report is out, into a pipe read slowly (more than a pipe holds)', async () => {
    const json = ['diagnose', fixture('notnow/nanomdm_2021_round_trip.log'), '--format', 'json'];
    const expected = (await cli(...json)).out;
    expect(Buffer.byteLength(expected)).toBeGreaterThan(128 * 1024);
    const child = spawn(process.execPath, [`${OUT}pushcheck.js`, ...json], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ended = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Read slowly (the first chunk held for a while): the command's writes wait in its queue.
    const chunks: Buffer[] = [];
    for await (const c of child.stdout) {
      await sleep(chunks.length ? 20 : 300);
      chunks.push(c as Buffer);
    }
    expect(await ended).toBe(0);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
  }, 60_000);

  it('answers the same from source when its code cache is damaged, made for other bytes or other V8 flags, or missing', async () => {
    const json = ['diagnose', fixture('notnow/nanomdm_2021_round_trip.log'), '--format', 'json'];
    const expected = (await cli(...json)).out;
    const good = readFileSync(CACHE);
    // Other V8 flags than the training runs had: V8 itself refuses the cache.
    expect(runTraced(['--max-semi-space-size=4'], ...json)).toEqual({ out: expected, cached: false });
    const damaged = Buffer.from(good);
    damaged[damaged.length >> 1] ^= 0xff;
    const otherBytes = Buffer.from(good);
    otherBytes[0] ^= 0xff;
    for (const cache of [damaged, otherBytes, good.subarray(0, 100), undefined]) {
      if (cache) writeFileSync(CACHE, cache);
      else rmSync(CACHE);
      expect(runTraced([], ...json)).toEqual({ out: expected, cached: false });
    }
    writeFileSync(CACHE, good);
    expect(runTraced([], ...json)).toEqual({ out: expected, cached: true });
  }, 60_000);
});
