import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { buildReport } from '../../src/case/index.js';
import { feedbackContext, renderFeedbackDraft } from '../../src/escalation/draft.js';
import type { Fact } from '../../src/facts/schema.js';
import { MAGIC, SERIAL, TOKEN, TOKEN_HASH, TOPIC, UDID, ruledOutFacts, zoneLessServerLogFacts } from '../fixtures/escalation/mdmRuledOut.js';
import { shipped } from '../support/rules.js';

const rules = shipped();
// The fixture's times as the draft writes them: in UTC, seconds only where the log had them.
const PUSHED_AT = ['2024-05-06 09:00:00 UTC', '2024-05-06 15:30:00 UTC', '2024-05-07 08:15:00 UTC'];
const reportOf = (facts: Fact[]) => buildReport(diagnose({ facts }, rules));
const answered = (name: string, value: Fact['value'], question: string): Fact => ({ name, value, source: { kind: 'answer', question, by: 'terminal' } });

describe('Apple Feedback draft for an MDM case with every known cause ruled out', () => {
  const report = reportOf(ruledOutFacts());
  const draft = report.escalation?.feedbackDraft ?? '';

  it('escalates, because every MDM cause the rules know is ruled out', () => {
    expect(report.causes.length).toBeGreaterThanOrEqual(7);
    expect(report.causes.filter((c) => c.status !== 'ruled_out').map((c) => c.id)).toEqual([]);
    expect(report.escalation).not.toBeNull();
  });

  it('carries the values Apple asks for: topic, token, PushMagic, times of failed pushes and the APNs responses', () => {
    expect(draft).toContain(`Push topic: ${TOPIC}`);
    expect(draft).toContain(`Push token: ${TOKEN}`);
    expect(draft).toContain(`PushMagic: ${MAGIC}`);
    for (const at of PUSHED_AT)
      expect(draft).toContain(`- ${at}: APNs response: 200; no device contact with the MDM server within a minute; device UDID ${UDID} — mdm-server.log line `);
    expect(draft).toContain(`LastPushTokenHash (SHA-256 of its push token): ${TOKEN_HASH}`);
  });

  it('has a title, a summary, device and OS, and the environment', () => {
    expect(draft).toMatch(/^Title: MDM pushes to iPhone14,2 are accepted by APNs but the device never contacts the MDM server$/m);
    expect(draft).toContain(`Between ${PUSHED_AT[0]} and ${PUSHED_AT[2]} the server sent 3 pushes`);
    expect(draft).toContain(`Each of the ${report.causes.length} known causes`);
    expect(draft).toContain('- OS: iOS 17.4.1 (build 21E236)');
    expect(draft).toContain(`- UDID: ${UDID}`);
    expect(draft).toContain(`- Serial number: ${SERIAL}`);
    expect(draft).toContain('- Sysdiagnose taken: 2024-05-07 09:02:00 UTC');
    expect(draft).toContain('- MDM server URL: https://mdm.example.com/mdm');
    expect(draft).toContain('- 2024-05-07 08:40:11 UTC: device contacted the MDM server — system_logs.logarchive.txt line 88');
    expect(draft).toContain('- Evidence read: time of the run, mdm-push.pem, sysdiagnose_2024.05.07_09-02-00.tar.gz (archive), mdm-server.log, server record');
  });

  it('lists each ruled-out cause with the evidence that ruled it out', () => {
    const section = draft.slice(draft.indexOf('Causes ruled out before filing'), draft.indexOf('Collection checklist'));
    for (const c of report.causes) expect(section).toContain(`- ${c.title}\n  Why: `);
    // What was seen, in words, and where: the archive's members by their path inside it.
    expect(section).toContain(`Evidence: SHA-256 of the push token the MDM server holds: ${TOKEN_HASH} — SHA-256 of the server's push token`);
    expect(section).toContain(`Evidence: PushMagic the MDM server puts in its pushes: ${MAGIC} — server record`);
    expect(section).toMatch(
      /^ {2}Evidence: Whether the device holds an MDM enrollment: yes — .*\(system_logs\.logarchive\.txt line 88\); logs\/MCState\/Shared\/MDM\.plist$/m,
    );
    // The same thing seen in several places is one line naming each place.
    for (const c of report.causes) {
      const block = section.slice(section.indexOf(`- ${c.title}\n`)).split(/\n- /)[0]!;
      const lines = block.match(/^ {2}Evidence: /gm)?.length ?? 0;
      expect(lines, c.id).toBeGreaterThan(0);
      expect(lines, c.id).toBeLessThanOrEqual(c.evidence.length);
    }
  });

  it('checklist: exactly the start of the failures and the two logging profiles are missing', () => {
    expect(report.escalation?.missing).toEqual([
      'When pushes started failing (not only the latest failure)',
      'Managed Configuration logging profile installed on the device before reproducing',
      'APNS logging profile installed on the device before reproducing',
    ]);
    expect(draft.match(/^- \[ \] /gm)?.length).toBe(3);
    expect(draft.match(/^- \[x\] /gm)?.length).toBe(6);
    expect(draft).toContain(`the earliest failed push in the evidence is ${PUSHED_AT[0]}; say when failures really began`);
  });

  it('once the start of the failures is answered and both profiles are installed, nothing is missing', () => {
    const began = '2024-05-05T20:00:00Z';
    const more = reportOf([
      ...ruledOutFacts(),
      answered('case.failures_began', began, 'q.case.failures_began'),
      // Installed (the stubs' InstallDate) before the failures were reproduced: only then do they count.
      {
        name: 'device.logging_profiles',
        value: 'ManagedConfiguration logging',
        at: '2024-05-04T12:00:00Z',
        source: { kind: 'file', input: 'sd.tar.gz', member: 'logs/ProfileList.txt' },
      },
      {
        name: 'device.logging_profiles',
        value: 'APNS (PersistentConnection) logging',
        at: '2024-05-04T12:00:00Z',
        source: { kind: 'file', input: 'sd.tar.gz', member: 'logs/ProfileList.txt' },
      },
    ]);
    expect(more.escalation?.missing).toEqual([]);
    expect(more.escalation?.feedbackDraft).toContain('When pushes started failing: 2024-05-05 20:00:00 UTC\n');
    expect(more.escalation?.feedbackDraft).toContain(
      '- Logging profiles installed: APNS (PersistentConnection) logging (installed 2024-05-04 12:00:00 UTC); ManagedConfiguration logging (installed 2024-05-04 12:00:00 UTC)',
    );
    expect(more.escalation?.feedbackDraft).not.toContain('[ ]');
  });

  it('flags a sysdiagnose taken more than two days after the failures began', () => {
    const ctx = feedbackContext(reportOf([...ruledOutFacts(), answered('case.failures_began', '2024-05-01T00:00:00Z', 'q.case.failures_began')]));
    expect(ctx.checklist.at(-1)?.note).toBe('taken 2024-05-07 09:02:00 UTC, more than two days after 2024-05-01 00:00:00 UTC: take a fresh one');
  });

  it('without the server side, the token, magic and push log show up as missing instead of being made up', () => {
    const deviceOnly = reportOf(ruledOutFacts().filter((f) => !f.name.startsWith('server.')));
    const ctx = feedbackContext(deviceOnly);
    expect(ctx.values.token).toBe('(not in the evidence yet)');
    expect(ctx.missing).toContain('Push token used by the server');
    expect(ctx.missing).toContain('Times of failed pushes');
    expect(renderFeedbackDraft(deviceOnly)).toContain("- (no timed pushes in the evidence yet: add the MDM server's push log)");
  });
});

describe('redacted draft for a wider channel', () => {
  const report = reportOf(ruledOutFacts());
  const full = renderFeedbackDraft(report);
  const redacted = renderFeedbackDraft(report, { redact: true });

  it('shortens tokens, UDIDs and PushMagic and hides the serial everywhere, including the evidence lines', () => {
    for (const secret of [TOKEN, TOKEN_HASH, MAGIC, UDID, SERIAL]) {
      expect(full).toContain(secret);
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain(`Push token: ${TOKEN.slice(0, 8)}…${TOKEN.slice(-4)}`);
    expect(redacted).toContain(`UDID: ${UDID.slice(0, 8)}…${UDID.slice(-4)}`);
    expect(redacted).toContain('Serial number: (serial hidden)');
    expect(redacted).toContain(`PushMagic: ${MAGIC.slice(0, 4)}…${MAGIC.slice(-2)}`);
  });

  it('keeps what is not secret: the topic, the times and the APNs answers', () => {
    expect(redacted).toContain(`Push topic: ${TOPIC}`);
    for (const at of PUSHED_AT) expect(redacted).toContain(`- ${at}: APNs response: 200`);
  });

  it('the full draft is what build.ts stores for Apple', () => {
    expect(report.escalation?.feedbackDraft).toBe(full);
  });
});

describe('the feedback package the CLI and Slack hand out', () => {
  it('works with no model configured: template draft, checklist, picture attached', async () => {
    const { prepareFeedback } = await import('../../src/escalation/feedback.js');
    const report = reportOf(ruledOutFacts());
    const pkg = await prepareFeedback(report, { env: {} });
    expect(pkg.polished).toBe(false);
    expect(pkg.reason).toBe('OPENAI_API_KEY is not set; the template draft is used');
    expect(pkg.draft.startsWith(report.escalation!.feedbackDraft)).toBe(true);
    expect(pkg.draft).toContain('- push-timeline.png: the events above on one time axis (UTC)');
    expect(pkg.timeline?.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(pkg.checklist.split('\n')).toHaveLength(9);
    expect(pkg.checklist.split('\n').filter((l) => l.startsWith('[ ] '))).toHaveLength(pkg.missing.length);
  });

  it('redacted, it gives the shortened values and no picture when asked for none', async () => {
    const { prepareFeedback } = await import('../../src/escalation/feedback.js');
    const pkg = await prepareFeedback(reportOf(ruledOutFacts()), { env: {}, redact: true, timeline: false });
    expect(pkg.draft).not.toContain(TOKEN);
    expect(pkg.draft).not.toContain('push-timeline.png');
    expect(pkg.timeline).toBeNull();
  });
});

describe('a server log that writes no zone, in the Feedback draft', () => {
  it('never gives its times a zone: the pushes, the TokenUpdate and the enrollment-race evidence keep "zone unknown"', () => {
    const draft = renderFeedbackDraft(buildReport(diagnose({ facts: zoneLessServerLogFacts() }, shipped())));
    expect(draft).toMatch(/^- 2024-05-06 09:00:00 \(zone unknown\): APNs response: 200/m);
    // The server's times (TokenUpdate 2024-05-02 10:00:00, pushes 2024-05-06 09:00:00, 15:30:00, 2024-05-07 08:15:00), never as UTC.
    for (const t of ['2024-05-02 10:00:00', '2024-05-06 09:00:00', '2024-05-06 15:30:00', '2024-05-07 08:15:00']) expect(draft).not.toContain(`${t} UTC`);
    expect(draft).toMatch(/race window is under 1 s, 2024-05-06 09:00:00 \(zone unknown\)/);
  });
});
