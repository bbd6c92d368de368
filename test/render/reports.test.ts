import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFactDefinitions } from '../../src/facts/catalog/index.js';
import { renderMarkdown } from '../../src/report/render/index.js';
import { reportFor } from '../../src/report/render/audience.js';
import type { Report } from '../../src/report/types.js';
import { CaseService } from '../../src/case/index.js';
import { LIMITS, totalChars } from '../../src/slack/blocks/budget.js';
import { summaryBlocks } from '../../src/slack/blocks/report.js';
import { FILE_WORDS, messageLabel } from '../../src/slack/words.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { cli } from '../cli/helpers.js';
import { buildCases, type RenderCase } from './cases.js';
import { slackText } from './slackText.js';

/**
 * Troubleshooting step zero: read the report. A support engineer should get
 * what was found and what to do in thirty seconds, in the terminal, in a
 * ticket (Markdown) and in Slack, and never have to decode an internal name.
 * Six cases: one per kind of problem, one that ends in Apple Feedback, one
 * with several devices in the server's log.
 */
const FIXTURES = new URL('../fixtures/render/', import.meta.url);
const UPDATE = process.env.PUSHCHECK_UPDATE_FIXTURES === '1';

const SLACK_USER = 'U0HUMAN7Q2';
const MESSAGE_TS = '1763715700.000200';
const ANSWERED_AT = '2025-11-21T09:30:00.000Z';

/** What a person must never have to read. */
const BRACKETED_ID = /[a-z]+\.[a-z_]+\]/;
const SEED_FILE = /\b\d{3}_[0-9a-f]{16}\.txt\b/;
const FACT_NAMES = new Set(allFactDefinitions.map((d) => d.name));

function internalNames(text: string): string[] {
  const found: string[] = [];
  if (BRACKETED_ID.test(text)) found.push(BRACKETED_ID.exec(text)![0]);
  if (SEED_FILE.test(text)) found.push(SEED_FILE.exec(text)![0]);
  for (const m of text.matchAll(/\((?:true|false)\)|\battrs\.[a-z_]+/g)) found.push(m[0]);
  for (const w of text.match(/\b[a-z]+(?:\.[a-z0-9_]+)+/g) ?? []) if (FACT_NAMES.has(w)) found.push(w);
  return found;
}

/** Lines other than the CLI's "--answer q.…=…" hints (the one place a question's id is what to type). */
const withoutAnswerHints = (text: string) =>
  text
    .split('\n')
    .map((l) => l.replace(/→ --answer \S+$/, ''))
    .join('\n');

/** The Feedback draft is Apple's text, from prompts/feedback.md, not a rendering: left out of the wording checks. */
const withoutDraft = (text: string) => text.replace(/```text\n[\s\S]*?```/g, '').replace(/\n─{60}\n[\s\S]*?\n─{60}\n/g, '\n');

interface Rendered {
  text: string;
  markdown: string;
  fullText: string;
  fullMarkdown: string;
  slack: ReturnType<typeof summaryBlocks>;
  slackPlain: string;
  attachment: string;
}

async function viaCli(c: RenderCase, ...extra: string[]): Promise<string> {
  const argv = [
    'diagnose',
    ...c.paths,
    ...(c.paste ? ['--paste', c.paste] : []),
    ...Object.entries(c.answers ?? {}).flatMap(([q, v]) => ['--answer', `${q}=${v}`]),
    ...extra,
  ];
  const r = await cli(...argv);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

/** The same case in a Slack thread: files shared, the server's values pasted as a message, answers clicked by a person. */
async function viaSlack(c: RenderCase): Promise<Report> {
  const store = new SqliteStore({ path: ':memory:', retentionMs: 86_400_000 });
  try {
    const sessions = new CaseService(store);
    const key = `CSUPPORT:1763715600.000100`;
    await sessions.open(key, { channel: 'CSUPPORT', threadTs: '1763715600.000100' });
    const who = { by: SLACK_USER, at: ANSWERED_AT };
    for (const p of c.paths) await sessions.addFile(key, { name: basename(p), stream: createReadStream(p) }, who);
    if (c.paste) await sessions.addPaste(key, c.paste, messageLabel(SLACK_USER, MESSAGE_TS), who);
    for (const [question, value] of Object.entries(c.answers ?? {})) {
      const o = await sessions.answer(key, { question, value, by: SLACK_USER, at: ANSWERED_AT });
      expect(o.ok).toBe(true);
    }
    return (await sessions.current(key)).report;
  } finally {
    store.close();
  }
}

const cases = buildCases();
const rendered = new Map<string, Rendered>();

beforeAll(async () => {
  for (const c of cases) {
    const report = reportFor(await viaSlack(c), 'channel');
    const slack = summaryBlocks(report, { key: 'CSUPPORT:1763715600.000100' });
    rendered.set(c.name, {
      text: await viaCli(c),
      markdown: await viaCli(c, '--format', 'markdown'),
      fullText: await viaCli(c, '--detail', 'full'),
      fullMarkdown: await viaCli(c, '--format', 'markdown', '--detail', 'full'),
      slack,
      slackPlain: slackText(slack),
      attachment: renderMarkdown(report, { detail: 'full', ...FILE_WORDS }),
    });
  }
}, 120_000);

afterAll(() => {
  if (UPDATE) console.log(`pushcheck: Slack fixtures written to ${FIXTURES.pathname}`);
});

describe.each(cases.map((c) => [c.name, c] as const))('the %s case', (name, c) => {
  const r = () => rendered.get(name)!;

  it('opens with a headline that says what to do next', () => {
    const headline = r().text.split('\n')[0]!;
    expect(headline).toMatch(
      /^pushcheck: (Found: .+ — .+|Likely: .+ — .+|Nothing confirmed yet — (answer this|attach) .+|All known causes are ruled out: this is one for Apple — .+|Every known cause is ruled out for .+|No fault found: .+ — attach .+)$/,
    );
    if (name === 'escalation') expect(headline).toMatch(/Feedback draft/);
  });

  it('fits a 30-second read: about 25 lines in the terminal, a short Slack message', () => {
    // About 25 lines, plus one per ruled-out cause beyond six (the MDM rules know 13 causes, each ruled out
    // is one line) and one per note (a note the rules attach, such as when the self-healing push is due).
    const lines = r().text.trimEnd().split('\n').length;
    const ruledOut = r()
      .text.split('\n')
      .filter((l) => l.startsWith('  ✓ ')).length;
    const notes = r()
      .text.split('\n')
      .filter((l) => l.startsWith('Note: ')).length;
    expect(lines, r().text).toBeLessThanOrEqual((c.typical ? 25 : 30) + Math.max(0, ruledOut - 6) + notes);
    const chars = totalChars(r().slack.blocks);
    expect(chars, r().slackPlain).toBeLessThanOrEqual(c.typical ? 3000 : LIMITS.messageChars);
    expect(r().slack.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(r().slack.truncated).toBe(false);
  });

  it('asks at most three questions, with "More questions" in Slack for the rest', () => {
    const asked = r()
      .text.split('\n')
      .filter((l) => l.startsWith('  ? ')).length;
    expect(asked).toBeLessThanOrEqual(3);
    const questionSections = r()
      .slackPlain.split('\n')
      .filter((l) => l.startsWith(':question:')).length;
    expect(questionSections).toBeLessThanOrEqual(3);
    const more = /Questions \(the top 3 of (\d+);/.exec(r().text);
    if (more) expect(r().slackPlain).toContain(`[More questions (${Number(more[1]) - 3})]`);
    else expect(r().slackPlain).not.toContain('[More questions');
  });

  it('speaks people\'s words: no fact ids, attribute names, "(true)" or seed file names, in any format', () => {
    for (const [format, text] of [
      ['text', withoutAnswerHints(r().text)],
      ['markdown', r().markdown],
      ['full text', withoutDraft(withoutAnswerHints(r().fullText))],
      ['full markdown', withoutDraft(r().fullMarkdown)],
      ['slack', r().slackPlain],
      ['slack attachment', withoutDraft(r().attachment)],
    ] as const)
      expect(internalNames(text), `${format}:\n${text}`).toEqual([]);
    // Markdown is for tickets and Slack has buttons: no question ids there at all.
    for (const text of [r().markdown, r().slackPlain]) expect(text).not.toMatch(/\bq\.[a-z_]+\.[a-z_]+/);
  });

  it('names Slack people by mention and messages by time, never by raw id or ts', () => {
    const plain = r().slackPlain.replace(/<@U[A-Z0-9]+>/g, '');
    expect(plain).not.toContain(SLACK_USER);
    expect(plain).not.toContain(MESSAGE_TS);
    // (The Feedback draft, Apple's text from prompts/feedback.md, is left as its template writes it.)
    expect(withoutDraft(r().attachment)).not.toContain(SLACK_USER);
    expect(withoutDraft(r().attachment)).not.toContain(MESSAGE_TS);
    if (c.paste) expect(r().attachment).toMatch(/a Slack message at 2025-11-21 \d\d:\d\d(:\d\d)? UTC/);
  });

  it('names the archive once and its members by their path inside it', () => {
    const archive = c.paths.map((p) => basename(p)).find((p) => /\.(tar\.gz|zip)$/.test(p));
    if (!archive) return;
    for (const text of [r().text, r().markdown]) {
      expect(text.split(archive).length - 1, text).toBe(1);
      expect(text).not.toMatch(/sysdiagnose_\d{4}\.\d\d\.\d\d_[^ /]*\//); // not the folder inside the archive either
    }
  });

  it('keeps everything in the full view: every cause of the report, with its evidence', async () => {
    const json = JSON.parse(await viaCli(c, '--format', 'json')) as Report;
    for (const cause of json.causes) expect(r().fullText).toContain(cause.title);
    for (const q of json.questions) expect(r().fullText).toContain(q.text);
    expect(r().fullText).toMatch(/Every observation/);
  });

  it('the Slack summary, as plain text, matches the reviewed fixture', () => {
    const file = new URL(`${name}.slack.txt`, FIXTURES);
    if (UPDATE) {
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(file, r().slackPlain);
    }
    expect(existsSync(file), `no ${name}.slack.txt yet: run PUSHCHECK_UPDATE_FIXTURES=1 npx vitest run test/render and review it`).toBe(true);
    expect(r().slackPlain).toBe(readFileSync(file, 'utf8'));
  });
});

describe('the single-cause MDM case', () => {
  it('folds the repeated rejections into one line with their span of times', () => {
    expect(rendered.get('mdm')!.text).toMatch(/mdmd rejected a push because its PushMagic did not match — logs\/mdm\/mdmd_excerpt\.log: 3 lines, 2025-11-21 /);
  });

  it('shows each ruled-out cause on one line', () => {
    const text = rendered.get('mdm')!.text;
    const block = text.slice(text.indexOf('\nRuled out\n'));
    const ruled = block.split('\n').filter((l) => l.startsWith('  ✓ '));
    expect(ruled.length).toBeGreaterThan(2);
    for (const l of ruled) expect(l).toMatch(/^ {2}✓ .+ — .+\.$/);
  });
});
