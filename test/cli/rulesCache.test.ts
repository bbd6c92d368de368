import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../src/cli/bundle.js';
import { defaultRulesDir, loadRules } from '../../src/engine/loadRules.js';
import { writeRulesCache } from '../../src/engine/rulesCache.js';
import { fixture } from './helpers.js';

/**
 * Step: "a support engineer edits a shipped rule, or drops a rule file of
 * their own next to them, and runs pushcheck". The built command reads the
 * rules from the cache the build validated, but only while every rule file
 * is the one validated: an edited or added file is validated again, and a
 * mistake in it is named with its file and line, by the command itself.
 *
 * The package is laid out as npm installs it (dist/cli with the bundled
 * command, dist/engine with the rules cache, rules/ and prompts/ beside
 * dist), inside the repository so its packages resolve.
 */
const PKG = fileURLToPath(new URL('../../tmp/cli-rules-cache-test/', import.meta.url));
const RULES = join(PKG, 'rules');
const LOG = fixture('notnow/nanomdm_2021_round_trip.log');

function pushcheck(...argv: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(PKG, 'dist/cli/pushcheck.js'), ...argv], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  rmSync(PKG, { recursive: true, force: true });
  mkdirSync(join(PKG, 'dist/engine'), { recursive: true });
  cpSync(defaultRulesDir(), RULES, { recursive: true });
  cpSync(fileURLToPath(new URL('../../prompts', import.meta.url)), join(PKG, 'prompts'), { recursive: true });
  // Without the code cache (test/cli/bundle.test.ts tries it): the rules cache is what this is about.
  expect(await bundleCli(join(PKG, 'dist/cli'), fileURLToPath(new URL('../../src/cli/', import.meta.url)), { codeCache: false })).toBe('bundled');
  // What `npm run build` does after compiling: validate rules/ once and cache the result.
  writeRulesCache(loadRules(RULES), RULES, join(PKG, 'dist/engine/rules.cache.json'));
}, 60_000);
afterAll(() => rmSync(PKG, { recursive: true, force: true }));

describe('the built pushcheck command and its cached rules', () => {
  it('diagnoses with the rules as shipped', () => {
    const r = pushcheck('diagnose', LOG, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).causes.length).toBeGreaterThan(0);
  });

  it('names the file and line of a mistake in an edited rule file, and reads nothing', () => {
    const file = join(RULES, 'mdm.yml');
    const shipped = readFileSync(file, 'utf8');
    try {
      const lines = shipped.split('\n');
      const at = lines.findIndex((l) => /\bop: exists\b/.test(l));
      expect(at).toBeGreaterThan(0);
      lines[at] = lines[at]!.replace('op: exists', 'op: exist');
      writeFileSync(file, lines.join('\n'));
      const r = pushcheck('diagnose', LOG);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain('The rules could not be loaded');
      // The line of the edited condition (or of the condition it belongs to), in the file that was edited.
      const line = Number(r.err.match(/mdm\.yml:(\d+)/)?.[1]);
      expect(line).toBeGreaterThan(0);
      expect(line).toBeLessThanOrEqual(at + 1);
      expect(r.err).not.toMatch(/internal error/);
    } finally {
      writeFileSync(file, shipped);
    }
    expect(pushcheck('diagnose', LOG).code).toBe(0);
  });

  it('validates a rule file someone added, and names it when it is wrong', () => {
    const added = join(RULES, 'zz-local.yml');
    try {
      writeFileSync(added, 'causes:\n  - id: local.cause\n    domain: mdm\n');
      const r = pushcheck('diagnose', LOG);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/zz-local\.yml:\d+/);
    } finally {
      rmSync(added, { force: true });
    }
  });
});
