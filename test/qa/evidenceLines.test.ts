import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

/**
 * Troubleshooting step: "look for the wrong-magic rejection in the device log".
 * A device that rejects every push logs the same line again and again; the
 * report should show that as one piece of evidence saying how often and
 * where ("mdmd.log: 12 lines"), not as a wall of identical lines.
 */
const REJECTION = 'mdmd[412]: Rejecting MDM push dictionary because it does not have the right magic string';
let dir: string;
let log: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pushcheck-qa-'));
  log = join(dir, 'mdmd.log');
  await writeFile(log, `${Array.from({ length: 12 }, () => REJECTION).join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('repeated log lines are one evidence line', () => {
  it('text: the twelve rejections are one line, in words, saying how many lines of which file', async () => {
    const { out } = await cli('diagnose', log);
    const lines = out.split('\n').filter((l) => l.includes('mdmd rejected a push because its PushMagic did not match'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ — mdmd\.log: 12 lines$/);
    expect(out).not.toContain(dir); // the file by its name, not the whole path each time
  });

  it('the full view lists them the same way, and so does Markdown', async () => {
    for (const args of [
      ['--detail', 'full'],
      ['--format', 'markdown'],
      ['--format', 'markdown', '--detail', 'full'],
    ]) {
      const { out } = await cli('diagnose', log, ...args);
      const lines = out.split('\n').filter((l) => l.includes('mdmd rejected a push because its PushMagic did not match') && l.includes(' — '));
      expect(lines.length, args.join(' ')).toBeGreaterThanOrEqual(1);
      for (const l of lines) expect(l, args.join(' ')).toMatch(/mdmd\.log: 12 lines$/);
    }
  });

  // Issue 11 (bounded facts): the JSON keeps the count and a few examples, not a copy per line.
  it('json keeps the count of observations and the first and last of them', async () => {
    const report = JSON.parse((await cli('diagnose', log, '--format', 'json')).out);
    const magic = report.causes.find((c: { id: string }) => c.id === 'mdm.wrong_magic');
    expect(magic.evidence).toHaveLength(1);
    expect(magic.evidence[0].count).toBe(12);
    expect(magic.evidence[0].examples.map((x: { source: string }) => x.source)).toEqual([`${log}:1`, `${log}:2`, `${log}:3`, `${log}:12`]);
    expect(report.facts.filter((f: { fact: string }) => f.fact === 'device.log.magic_rejection')).toHaveLength(1);
  });
});
