import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { built } from '../support/built.js';

/**
 * Step: "someone edits a rule file on the machine that runs the bot and makes a mistake, then runs
 * npm start". The start says which file and line are wrong, and nothing else: no stack trace.
 * The bot as built (bundled once per run, test/setup/build.global.ts) and the rules are copied inside
 * the repository (so their packages resolve), laid out as dist/ and rules/ are, and run as `npm start`
 * runs them, with no Slack credentials (the terminal mode).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COPY = join(ROOT, 'tmp/start-rules-test');

beforeAll(() => {
  rmSync(COPY, { recursive: true, force: true });
  mkdirSync(COPY, { recursive: true });
  for (const dir of ['rules', 'prompts', 'examples']) cpSync(join(ROOT, dir), join(COPY, dir), { recursive: true });
  cpSync(dirname(built('main')), join(COPY, 'dist/bot'), { recursive: true });
  const file = join(COPY, 'rules/mdm.yml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/\bop: exists\b/, 'op: exist'));
});
afterAll(() => rmSync(COPY, { recursive: true, force: true }));

describe('npm start with a broken rule file', () => {
  it('names the file and line, exits 1, and prints no stack trace', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLACK_')));
    const r = spawnSync(process.execPath, [join(COPY, 'dist/bot/main.js')], { cwd: COPY, env, input: '', encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('The rules could not be loaded');
    expect(r.stderr).toMatch(/mdm\.yml:\d+/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 90_000);
});
