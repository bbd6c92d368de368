import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseService } from '../../src/case/index.js';
import { renderFeedbackDraft } from '../../src/escalation/draft.js';
import { feedbackContext } from '../../src/escalation/index.js';
import { messageLabel } from '../../src/report/render/messages.js';
import type { Report } from '../../src/report/types.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { CASES } from '../cases/support/cases.js';
import { argvOf, diagnose, feedback } from '../cases/support/run.js';
import { fixture } from '../cli/helpers.js';
import { buildCases } from '../render/cases.js';
import { internalNames, missingValues } from './peoplesWords.js';

/**
 * The Feedback draft is read at Apple by someone who never saw pushcheck:
 * every realistic case that ends in a draft must say what Apple asks for
 * (seed 000's closing paragraph) with the real values, and nothing in
 * pushcheck's own names (fact ids, flags, chat user ids, file hashes).
 */

describe('every realistic case that ends in a Feedback draft', () => {
  const drafting = CASES.filter((c) => /all-match-failed-push|app-all-match-failed-push|slack-thread-mdm-values-and-apns-answer/.test(c.id));

  it('is among the cases (the check below is not looking at nothing)', () => {
    expect(drafting.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'all-match-failed-push-logged',
        'all-match-failed-push-zone-less',
        'app-all-match-failed-push',
        'slack-thread-mdm-values-and-apns-answer',
      ]),
    );
  });

  it.each(drafting.map((c) => [c.id, c] as const))("%s: speaks in people's words and carries every value Apple asks for", async (_id, c) => {
    const r = (await diagnose(argvOf(c))) as unknown as Report;
    const draft = r.escalation?.feedbackDraft ?? '';
    expect(draft).toMatch(/^Title: /);
    expect(internalNames(draft, r)).toEqual([]);
    expect(missingValues(draft, r)).toEqual([]);
  });

  it('`pushcheck feedback` prints that draft, with the timeline named as an attachment in words', async () => {
    const c = drafting.find((x) => x.id === 'all-match-failed-push-logged')!;
    const argv = argvOf(c);
    const r = (await diagnose(argv)) as unknown as Report;
    const out = await feedback(argv);
    expect(out.code).toBe(0);
    expect(out.out.startsWith(r.escalation!.feedbackDraft)).toBe(true);
    expect(internalNames(out.out, r)).toEqual([]);
  });
});

describe('the scan for internal names finds each shape Apple must never see', () => {
  // Planted in a draft that is clean otherwise: the check must not be one that cannot fail.
  const clean = 'Title: MDM pushes are accepted but the device never checks in\n';
  const none = { facts: [], causes: [], questions: [] } as unknown as Report;
  it.each([
    ['a cause id', '- Ruled out: mdm.wrong_magic'],
    ['a fact id', 'Seen: server.push_token on line 3'],
    ['a fact id with its value', 'device.mdm_enrolled = true'],
    ['a question id', 'answer q.mdm.push_status'],
    ['a Slack user id', 'answered by U0HUMAN7Q2'],
    ['a Slack channel id', 'posted in C07SUPP0RT1'],
    ['a seed file name', 'per 000_1e36ff1c9c5c99cd.txt'],
    ['a document by its file name', 'see apns-mdm.md'],
    ['an object printed as text', 'Evidence: [object Object]'],
    ['a value never filled in', 'Push token: undefined'],
    ['a template tag left over', 'Model: {{device.model}}'],
    ['a flag', 'as given with --magic'],
    ['an MDM channel as its raw attribute', '- NotNow (InstalledApplicationList command, channel device)'],
  ])('%s', (_what, planted) => {
    expect(internalNames(clean, none)).toEqual([]);
    expect(internalNames(`${clean}${planted}\n`, none)).not.toEqual([]);
  });
});

describe('a NanoMDM log with a NotNow: the evidence lines the draft cites', () => {
  // The NotNow causes are ruled out with the NotNow line as evidence; the draft lists that evidence,
  // and the MDM channel the command went on must read as a channel, not as "(channel device)".
  it('say "on the device channel" and "the device channel", never the attribute as stored', async () => {
    const r = (await diagnose([fixture('notnow/nanomdm_notnow_then_acknowledged.log')])) as unknown as Report;
    const lines = feedbackContext(r).ruledOut.flatMap((c) => c.evidence.map((e) => e.line));
    expect(lines.join('\n')).toContain('InstalledApplicationList command, device 5A2F6C1E-3B7D-5E90-8C41-0D2E7A9B1F34, on the device channel)');
    expect(lines.join('\n')).toContain('Channel of a command answered NotNow: the device channel');
    expect(lines.join('\n')).not.toMatch(/channel device|: device \(/);
  });
});

describe('the drafts of a case as it grows', () => {
  it("the zone-less case, once the zone is answered: each time in UTC with the log's own clock beside it, no ids", async () => {
    const argv = [...argvOf(CASES.find((c) => c.id === 'all-match-failed-push-zone-less')!), '--answer', 'q.case.log_time_zone=Europe/Berlin'];
    const r = (await diagnose(argv)) as unknown as Report;
    const draft = r.escalation!.feedbackDraft;
    expect(draft).toContain('UTC (10:00:03 at +02:00)');
    expect(internalNames(draft, r)).toEqual([]);
    expect(missingValues(draft, r)).toEqual([]);
  });

  it('the redacted draft for a wider channel names things the same way', async () => {
    const r = (await diagnose(argvOf(CASES.find((c) => c.id === 'all-match-failed-push-logged')!))) as unknown as Report;
    const redacted = renderFeedbackDraft(r, { redact: true });
    expect(redacted).not.toContain(String(r.facts.find((f) => f.fact === 'server.push_token')!.value));
    expect(internalNames(redacted, r)).toEqual([]);
  });
});

describe('a case diagnosed in a Slack thread', () => {
  // The server's values pasted as a message, the answers clicked by a person: stored under their
  // message label and user id, which Slack shows as mentions and Apple must never see.
  const SLACK_USER = 'U0HUMAN7Q2';
  const c = buildCases().find((x) => x.name === 'escalation')!;

  async function viaSlack(): Promise<Report> {
    const store = new SqliteStore({ path: ':memory:', retentionMs: 86_400_000 });
    try {
      const cases = new CaseService(store);
      const key = 'C07SUPP0RT1:1763715600.000100';
      await cases.open(key, { channel: 'C07SUPP0RT1', threadTs: '1763715600.000100' });
      const who = { by: SLACK_USER, at: '2025-11-21T09:30:00.000Z' };
      for (const p of c.paths) await cases.addFile(key, { name: basename(p), stream: createReadStream(p) }, who);
      await cases.addPaste(key, c.paste!, messageLabel(SLACK_USER, '1763715700.000200'), who);
      for (const [question, value] of Object.entries(c.answers ?? {})) expect((await cases.answer(key, { question, value, ...who })).ok).toBe(true);
      const { report, feedback: pkg } = await cases.feedback(key, { env: {}, timeline: false });
      expect(pkg?.draft.startsWith(report.escalation!.feedbackDraft)).toBe(true);
      // What the thread posts beside the draft (its attachments line, the checklist) is read at Apple too.
      expect(internalNames(pkg!.draft, report)).toEqual([]);
      expect(internalNames(pkg!.checklist, report)).toEqual([]);
      return report;
    } finally {
      store.close();
    }
  }

  it('names the message by its time and the person as the support engineer, never by their user id', async () => {
    const r = await viaSlack();
    const draft = r.escalation!.feedbackDraft;
    // Before: "[answer to q.mdm.push_status by U0HUMAN7Q2 at 2025-11-21T09:30:00.000Z]", "message from U0HUMAN7Q2 at 1763715700.000200 (line 2)".
    expect(draft).toContain('a Slack message at 2025-11-21 09:01:40 UTC');
    expect(draft).toContain('answered by the support engineer at 2025-11-21 09:30:00 UTC');
    expect(internalNames(draft, r)).toEqual([]);
    expect(missingValues(draft, r)).toEqual([]);
  });
});
