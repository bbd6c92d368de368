import { describe, expect, it } from 'vitest';
import { blockChars, LIMITS, sections, splitBlocks, totalChars, type Block } from '../../src/slack/blocks/budget.js';
import { reportFor } from '../../src/report/render/audience.js';
import { summaryBlocks } from '../../src/slack/blocks/report.js';
import type { CauseReport, Report } from '../../src/report/types.js';

function cause(i: number, size: number): CauseReport {
  return {
    id: `mdm.c${i}`,
    domain: 'mdm',
    status: i % 3 === 0 ? 'confirmed' : 'open',
    title: `Cause number ${i}`,
    summary: 's'.repeat(200),
    because: [`because ${'x'.repeat(size)}`],
    evidence: [],
    nextSteps: [`step ${'y'.repeat(size)}`],
    missing: [],
    source: { document: '000.txt', section: 'S' },
    rules: [],
  };
}

function report(causes: CauseReport[], extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    domains: ['mdm'],
    headline: 'Found: something.',
    device: {},
    notes: [],
    causes,
    questions: [
      {
        id: 'q.mdm.enrolled',
        text: 'Is the MDM profile still installed?',
        type: 'yesno',
        answers: [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
          { value: 'unknown', label: "Don't know" },
        ],
        settles: [],
      },
    ],
    escalation: null,
    problems: [],
    conflicts: [],
    facts: [],
    timeline: [],
    ...extra,
  };
}

describe('Block Kit budget', () => {
  it('splits text longer than a section into sections of at most 3000 characters, losing nothing', () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i} ${'z'.repeat(60)}`).join('\n');
    const out = sections(text);
    expect(out.length).toBeGreaterThan(1);
    for (const b of out) expect(blockChars(b)).toBeLessThanOrEqual(LIMITS.sectionChars);
    expect(out.map((b) => (b as { text: { text: string } }).text.text).join('\n')).toBe(text);
  });

  it('splits blocks into messages of at most 50 blocks and the character budget, in order', () => {
    const blocks: Block[] = Array.from({ length: 130 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `${i}:${'a'.repeat(400)}` } }));
    const messages = splitBlocks(blocks);
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(50);
      expect(totalChars(m)).toBeLessThanOrEqual(LIMITS.messageChars);
    }
    expect(messages.flat()).toEqual(blocks);
  });
});

describe('the summary message', () => {
  it('fits a long report into one message, keeps the question buttons, and says the full report is attached', () => {
    const r = report(
      Array.from({ length: 40 }, (_, i) => cause(i, 900)),
      { escalation: { feedbackDraft: 'draft', missing: [] } },
    );
    const s = summaryBlocks(r, { key: 'C1:1.2' });
    expect(s.truncated).toBe(true);
    expect(s.blocks.length).toBeLessThanOrEqual(50);
    expect(totalChars(s.blocks)).toBeLessThanOrEqual(LIMITS.messageChars);
    const json = JSON.stringify(s.blocks);
    expect(json).toContain('attached in this thread as a Markdown file');
    expect(json).toContain('"action_id":"answer_0"');
    expect(json).toContain('"action_id":"feedback_draft"');
  });

  it('a short report is shown whole, with no attachment note', () => {
    const s = summaryBlocks(report([cause(1, 10), cause(2, 10)]), { key: 'C1:1.2' });
    expect(s.truncated).toBe(false);
    expect(JSON.stringify(s.blocks)).toContain('Cause number 2');
    expect(JSON.stringify(s.blocks)).not.toContain('feedback_draft'); // no escalation, no button
  });

  it('a report whose headline, notes, problems and question are all very long still fits one message, with the top cause and every answer button', () => {
    const paragraph = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word} ${i} ${'w'.repeat(90)}`).join('\n');
    const top = { ...cause(0, 10), because: [paragraph(30, 'reason')], nextSteps: [paragraph(20, 'step')] }; // its first section alone is near 3000 characters
    const r = report([top, cause(1, 900), cause(2, 900)], {
      headline: `Found: ${'h'.repeat(4000)}`,
      notes: Array.from({ length: 10 }, (_, i) => ({
        id: `mdm.n${i}`,
        text: paragraph(6, `note ${i}`),
        evidence: [],
        source: { document: '000.txt', section: 'S' },
      })),
      problems: Array.from({ length: 12 }, (_, i) => ({ input: `sysdiagnose_${i}.tar.gz`, code: 'archive.truncated', message: 'm'.repeat(600) })),
      questions: [
        {
          id: 'q.mdm.vendor',
          text: `Which MDM server? ${'q'.repeat(3500)}`,
          help: paragraph(40, 'help'),
          type: 'choice',
          answers: Array.from({ length: 25 }, (_, i) => ({ value: `v${i}`, label: `${i} ${'l'.repeat(120)}` })),
          settles: [],
        },
      ],
      device: { model: 'iPhone15,2'.repeat(100), platform: 'iOS', osVersion: '17.4' },
      escalation: { feedbackDraft: 'draft', missing: [] },
    });
    const s = summaryBlocks(r, { key: 'C1:1.2' });
    expect(totalChars(s.blocks)).toBeLessThanOrEqual(LIMITS.messageChars);
    expect(s.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    for (const b of s.blocks) if (b.type === 'section') expect(blockChars(b)).toBeLessThanOrEqual(LIMITS.sectionChars);
    const json = JSON.stringify(s.blocks);
    expect(json).toContain('CONFIRMED: Cause number 0'); // the top cause is still named
    for (let i = 0; i < 25; i++) expect(json).toContain(`"action_id":"answer_${i}"`);
    expect(json).toContain('"action_id":"feedback_draft"');
    expect(json).toContain('Notes shortened here'); // the notes cut to fit say where their full text is
    expect(s.truncated).toBe(true); // the rest is in the attached Markdown report
  });

  it('escapes mrkdwn control characters in titles and evidence', () => {
    const c = { ...cause(1, 1), title: 'a <b> & c', status: 'confirmed' as const };
    expect(JSON.stringify(summaryBlocks(report([c]), { key: 'k' }).blocks)).toContain('a &lt;b&gt; &amp; c');
  });
});

describe('secrets in channel messages', () => {
  it('PushMagic and tokens are shown as their first and last four characters, in evidence and in sentences', () => {
    const magic = '8E41B7C2-5D0A-4F93-A6E1-3C7B29D054F8';
    const ev = { fact: 'device.push_magic', value: magic, source: 'MDM.plist', origin: { kind: 'file' as const, input: 'MDM.plist' } };
    const c = { ...cause(1, 1), because: [`the device expects ${magic}`], evidence: [ev] };
    const masked = reportFor(report([c], { facts: [{ ...ev, secret: true }] }), 'channel');
    const json = JSON.stringify(masked);
    expect(json).not.toContain(magic);
    expect(masked.causes[0]!.because[0]).toBe('the device expects 8E41…54F8');
    expect(masked.causes[0]!.evidence[0]!.value).toBe('8E41…54F8');
  });

  it('a note (advisory) that quotes a PushMagic shows it masked too, in its text and its evidence', () => {
    const magic = '8E41B7C2-5D0A-4F93-A6E1-3C7B29D054F8';
    const ev = { fact: 'device.push_magic', value: magic, source: 'MDM.plist', origin: { kind: 'file' as const, input: 'MDM.plist' } };
    const note = { id: 'mdm.note', text: `The device answers with PushMagic ${magic}.`, evidence: [ev], source: { document: '000.txt', section: 'S' } };
    const masked = reportFor(report([], { notes: [note], facts: [{ ...ev, secret: true }] }), 'channel');
    expect(JSON.stringify(masked)).not.toContain(magic);
    expect(JSON.stringify(summaryBlocks(masked, { key: 'k' }).blocks)).toContain('PushMagic 8E41…54F8');
  });
});
