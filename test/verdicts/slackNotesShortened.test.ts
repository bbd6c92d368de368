import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockChars, LIMITS, totalChars } from '../../src/slack/blocks/budget.js';
import { summaryBlocks } from '../../src/slack/blocks/report.js';
import { diagnose, file } from './evidence.js';

/**
 * Troubleshooting step: "read the thread's summary". An app-push case often carries several notes (look up the
 * apns-id in the Push Notifications Console, a relay's answers about several devices, APNs's transient answers…).
 * To stay one short message the summary keeps each note's opening sentence; the advice after it (where to look
 * the apns-id up) is in the full report. The summary must say so, and never drop a note. Every value is made up.
 */

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/apns/${name}`, import.meta.url));
const TOKEN = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const provider = () =>
  file(
    'push-worker.log',
    `${[
      `2026-11-20T10:00:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${TOKEN} apns-topic=com.example.demo status=200`,
      `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=429 {"reason":"TooManyRequests"}`,
    ].join('\n')}\n`,
  );
const words = (blocks: unknown) => JSON.stringify(blocks).replace(/\\n/g, '\n');

describe('the Slack summary of an app-push case with several notes', () => {
  it('shows every note by its opening, marks the shortened ones, and points to the full report', async () => {
    const r = await diagnose(fixture('provider_http2.log'), fixture('enterprise_aps_production.mobileprovision'), fixture('fcm_relay_answers.log'), provider());
    expect(r.notes.length).toBeGreaterThanOrEqual(5);
    const s = summaryBlocks(r as never, { key: 'C1:1.2' });
    expect(totalChars(s.blocks)).toBeLessThanOrEqual(LIMITS.messageChars);
    for (const b of s.blocks) if (b.type === 'section') expect(blockChars(b)).toBeLessThanOrEqual(LIMITS.sectionChars);
    const json = words(s.blocks);
    const shown = json.match(/:information_source: [^\n"]*/g) ?? [];
    // Each note is there by its first words.
    for (const n of r.notes as { text: string }[]) expect(json).toContain(n.text.slice(0, 25).replace(/&/g, '&amp;'));
    // The look-up note's advice (the Console's Delivery Log) is cut: the line says it goes on, and the message where.
    const lookUp = (r.notes as { id: string; text: string }[]).find((n) => n.id === 'apns.note.look_up_apns_id')!;
    const line = shown.find((l) => lookUp.text.startsWith(l.replace(':information_source: ', '').replace(/ ?…$/, '')));
    expect(line).toMatch(/…$/);
    expect(json).toContain('Notes shortened here: each one in full in the full report (Show all evidence)');
    expect(json).toContain('"action_id":"show_all_evidence"');
  });

  it('the same case, even with its three notes: the look-up note is marked as going on, with the pointer', async () => {
    const r = await diagnose(provider());
    const json = words(summaryBlocks(r as never, { key: 'C1:1.2' }).blocks);
    expect(json).toContain('APNs accepted the push, which says nothing yet about delivery. …');
    expect(json).toContain('Notes shortened here');
  });

  it('a note short enough to show whole: shown to its end, and no pointer', async () => {
    const r = await diagnose(provider());
    const short = { ...(r.notes as { text: string }[])[0]!, text: 'APNs accepted the push, which says nothing yet about delivery.' };
    const json = words(summaryBlocks({ ...r, notes: [short] } as never, { key: 'C1:1.2' }).blocks);
    expect(json).toContain(':information_source: APNs accepted the push, which says nothing yet about delivery."');
    expect(json).not.toContain('Notes shortened here');
  });
});
