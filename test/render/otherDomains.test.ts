import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCase } from '../../src/index.js';
import { reportFor } from '../../src/report/render/audience.js';
import type { Report } from '../../src/report/types.js';
import { summaryBlocks } from '../../src/slack/blocks/report.js';
import { cli } from '../cli/helpers.js';
import { slackText } from './slackText.js';

/**
 * Troubleshooting step: stay on the problem at hand. An MDM case whose
 * evidence also holds an app provider's log touches app pushes too; once
 * the MDM cause is found, the 30-second report (terminal, Markdown, Slack)
 * shows MDM causes and questions only. The full view keeps everything.
 */

const example = (name: string) => fileURLToPath(new URL(`../../examples/mdm-wrong-magic/${name}`, import.meta.url));
const PROFILE = 'profile-2f7e4c198b3d4a629d056e1f8a7b3c20.stub';
const dir = mkdtempSync(join(tmpdir(), 'pushcheck-focus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The app's provider, on the same support ticket: APNs accepts its pushes, nothing about them is wrong yet.
const provider = join(dir, 'provider.log');
writeFileSync(
  provider,
  [
    '2026-11-20T10:00:00.120Z INFO  apns: connecting to api.push.apple.com:443',
    '2026-11-20T10:00:01.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c apns-topic=com.example.demo apns-push-type=alert status=200',
    '',
  ].join('\n'),
);
const argv = [example('MDM.plist'), example(PROFILE), provider, '--paste-file', example('server-values.txt')];

async function run(...extra: string[]): Promise<string> {
  const r = await cli('diagnose', ...argv, ...extra);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

let json: Report;
let text: string;
let markdown: string;
let full: string;
let slack: string;
let others: { title: string; id: string }[];
let otherQuestions: string[];

beforeAll(async () => {
  json = JSON.parse(await run('--format', 'json'));
  text = await run();
  markdown = await run('--format', 'markdown');
  full = await run('--detail', 'full');
  const report = await runCase({
    paths: [example('MDM.plist'), example(PROFILE), provider],
    pastes: [{ text: readFileSync(example('server-values.txt'), 'utf8'), label: 'server-values.txt' }],
  });
  slack = slackText(summaryBlocks(reportFor(report, 'channel'), { key: 'CSUPPORT:1763715600.000100' }));
  others = json.causes.filter((c) => c.domain !== 'mdm');
  otherQuestions = json.questions.filter((q) => q.id.startsWith('q.apns.')).map((q) => q.text);
}, 60_000);

describe('an MDM case with app-push evidence beside it, the MDM cause found', () => {
  it('is about MDM: the evidence touches app pushes too, but the focus is the domain with the finding', () => {
    expect(json.domains).toEqual(['mdm', 'apns']);
    expect(json.focus).toEqual(['mdm']);
    expect(json.causes.find((c) => c.id === 'mdm.wrong_magic')?.status).toBe('confirmed');
    // The other domain has causes and questions of its own that could be shown.
    expect(others.length).toBeGreaterThan(5);
    expect(otherQuestions.length).toBeGreaterThan(0);
  });

  it.each([
    ['the terminal', () => text],
    ['Markdown', () => markdown],
    ['the Slack summary', () => slack],
  ])('%s shows no cause and no question of app pushes', (_where, rendered) => {
    const out = rendered();
    expect(out).toContain("The server's PushMagic is not the one the device expects");
    for (const c of others) expect(out, c.id).not.toContain(c.title);
    for (const q of otherQuestions) expect(out).not.toContain(q);
  });

  it('the full view keeps them, each marked as about app pushes', () => {
    for (const c of others) expect(full, c.id).toContain(c.title);
    expect(full).toMatch(/about app push notifications/);
  });
});
