import { describe, expect, it } from 'vitest';
import { CASES } from './support/cases.js';
import { argvOf, byId, diagnose, feedback } from './support/run.js';
import { APP, MAGIC, TOKEN, TOPIC, UDID_A, UDID_B } from './support/values.js';

/**
 * Seed 000's last step: file with Apple only once every cause is ruled out,
 * with the failed pushes on record, and with nothing in the draft that the
 * evidence does not hold.
 */

describe('the MDM Feedback draft carries the facts Apple asks for, and only those', () => {
  it('topic, token and PushMagic used, each failed push with its time, APNs answer, apns-id and UDID', async () => {
    const r = await diagnose(argvOf(byId('all-match-failed-push-logged', CASES)));
    const draft = r.escalation!.feedbackDraft;
    for (const v of [TOPIC, TOKEN, MAGIC]) expect(draft).toContain(v);
    expect(draft).toMatch(
      /^- 2024-05-07 08:00:03 UTC: APNs response: 200; no device contact with the MDM server within a minute; apns-id 4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B; device UDID 00008120-001C35A83E91C01E — micromdm\.log line 1$/m,
    );
    expect(draft).toMatch(/^- 2024-05-07 08:15:00 UTC: APNs response: 200; .*apns-id 5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C/m);
    // The sysdiagnose (09:02) was taken after the latest failed push (08:15), the profiles before it: ticked on proof.
    const done = Object.fromEntries(r.filing.checklist.map((c) => [c.id, c.done]));
    expect(done).toMatchObject({
      'feedback.sysdiagnose': true,
      'feedback.managed_configuration_logging': true,
      'feedback.apns_logging': true,
      'feedback.failures_began': false,
    });
    // What is not in the evidence is said to be missing, never filled in.
    expect(r.escalation!.missing).toEqual(['When pushes started failing (not only the latest failure)']);
    expect(draft).not.toContain(UDID_B);
  });

  it('`pushcheck feedback` prints the same draft, and nothing when there is no failed push on record', async () => {
    const ready = await feedback(argvOf(byId('all-match-failed-push-logged', CASES)));
    expect(ready.code).toBe(0);
    expect(ready.out).toContain('Failed pushes to this device and the APNs responses');
    const none = await feedback(argvOf(byId('all-match-no-failed-push', CASES)));
    expect(none.code).toBe(0);
    expect(none.out).toBe('');
    expect(none.err).toMatch(/no failed push is on record/);
  });

  it('without a failed push on record the report lists what to collect: the push, its APNs answer, when failures began, the logging profiles and a sysdiagnose', async () => {
    const r = await diagnose(argvOf(byId('all-match-no-failed-push', CASES)));
    expect(r.filing.collect).toHaveLength(4);
    expect(r.filing.collect.join(' ')).toMatch(/did not answer.*APNs's answer.*started failing.*logging profiles.*sysdiagnose/s);
  });
});

describe('a failed push told in a Slack thread', () => {
  it('goes into the draft with the time, APNs answer, apns-id and UDID the message gave', async () => {
    const r = await diagnose(argvOf(byId('slack-thread-mdm-values-and-apns-answer', CASES)));
    const draft = r.escalation!.feedbackDraft;
    expect(draft).toMatch(
      /^- 2024-05-07 08:00:03 UTC: APNs response: 200; no device contact with the MDM server within a minute; apns-id 4e1f7a2b-9c3d-4e5f-8a6b-7c8d9e0f1a2b; device UDID 00008120-001C35A83E91C01E — text 2 pasted by the support engineer$/m,
    );
    expect(r.facts.filter((f) => f.fact === 'case.failed_push').map((f) => f.attrs?.domain)).toEqual(['mdm']);
  });
});

describe('times without a zone in the Feedback draft', () => {
  it("are never called UTC: the draft says they are the server log's local time and asks for its zone first", async () => {
    const argv = argvOf(byId('all-match-failed-push-zone-less', CASES));
    const r = await diagnose(argv);
    const draft = r.escalation!.feedbackDraft;
    expect(draft).toContain("Between 2024-05-07 10:00:03 and 2024-05-07 10:15:03 (the server log's local time; its zone is not in the evidence)");
    expect(draft).toMatch(/^- 2024-05-07 10:00:03 \(zone unknown\): APNs response: 200/m);
    expect(draft).toContain('When pushes started failing: 2024-05-07 10:00:03 (zone unknown)');
    expect(draft).not.toMatch(/10:\d\d:03 UTC/);
    expect(r.escalation!.missing[0]).toBe('Times of failed pushes');
    expect(r.filing.checklist.find((c) => c.id === 'feedback.failed_push_times')?.todo).toMatch(/q\.case\.log_time_zone/);

    // Said to be Berlin time (+02:00 in May), the pushes are 08:00 and 08:15 UTC: the times are Apple's to look up.
    const berlin = await diagnose([...argv, '--answer', 'q.case.log_time_zone=Europe/Berlin']);
    const after = berlin.escalation!.feedbackDraft;
    // Each time in UTC, with the clock the log wrote it in beside it.
    expect(after).toContain('Between 2024-05-07 08:00:03 UTC (10:00:03 at +02:00) and 2024-05-07 08:15:03 UTC (10:15:03 at +02:00)');
    expect(berlin.filing.checklist.find((c) => c.id === 'feedback.failed_push_times')?.done).toBe(true);
    // The sysdiagnose (09:02 UTC) now provably follows the failed pushes.
    expect(berlin.filing.checklist.find((c) => c.id === 'feedback.sysdiagnose')?.done).toBe(true);
  });
});

describe('the app-push Feedback draft speaks of app pushes', () => {
  it('no MDM server, PushMagic or managed device is claimed; the provider topic and apns-id are there', async () => {
    const r = await diagnose(argvOf(byId('app-all-match-failed-push', CASES)));
    const draft = r.escalation!.feedbackDraft;
    expect(draft).toContain(`Push topic: ${APP}`);
    expect(draft).toContain('apns-id 6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f');
    expect(draft).not.toMatch(/PushMagic|MDM server|managed device|TokenUpdate|sysdiagnose\)\n/);
    expect(draft).toContain('The notification never arrived on the device.');
  });

  it('a push the device received is no failed push: no draft, and the note says where to look instead', async () => {
    for (const id of ['healthy-app-push', 'healthy-app-push-everything-checked']) {
      const r = await diagnose(argvOf(byId(id, CASES)));
      expect(r.escalation, id).toBeNull();
      expect(
        r.facts.filter((f) => f.fact === 'case.failed_push'),
        id,
      ).toEqual([]);
      expect(r.notes.find((n) => n.id === 'apns.note.reached_device')?.text).toMatch(/notification settings/);
    }
  });
});

describe('next steps send the engineer the right way', () => {
  const mdmCases = CASES.filter((c) => !/^(app-|healthy-app|securemail)/.test(c.id));

  it.each(mdmCases.map((c) => c.id))('%s: no MDM next step points at the developer portal or a .p8 key', async (id) => {
    const r = await diagnose(argvOf(byId(id, CASES)));
    const steps = r.causes.filter((c) => c.id.startsWith('mdm.')).flatMap((c) => c.nextSteps);
    expect(steps.join('\n')).not.toMatch(/developer portal|\.p8|Certificates, Identifiers/i);
  });

  it("an expired MDM push certificate is renewed at Apple's Push Certificates Portal with the Apple ID that created it", async () => {
    const r = await diagnose(argvOf(byId('mdm-certificate-expired', CASES)));
    const steps = r.causes.find((c) => c.id === 'mdm.certificate_expired')!.nextSteps.join(' ');
    expect(steps).toMatch(/Push Certificates Portal/);
    expect(steps).toMatch(/Apple ID that created it/);
    expect(steps).toMatch(/Renew, not Create/);
  });

  it('a replaced certificate: renew the one with the old topic (Renew keeps it), or re-enroll', async () => {
    const r = await diagnose(argvOf(byId('wrong-topic-certificate-replaced', CASES)));
    const steps = r.causes.find((c) => c.id === 'mdm.wrong_topic')!.nextSteps.join(' ');
    expect(steps).toContain(TOPIC);
    expect(steps).toMatch(/Push Certificates Portal/);
    expect(steps).toMatch(/re-enroll/);
  });

  it('a wrong PushMagic inside the window: keep pushing, do not re-enroll or restore', async () => {
    const r = await diagnose(argvOf(byId('wrong-magic-inside-window', CASES)));
    const steps = r.causes.find((c) => c.id === 'mdm.wrong_magic')!.nextSteps.join(' ');
    expect(steps).toMatch(/25 hours/);
    expect(steps).toMatch(/Do not re-enroll or restore/);
  });
});

describe('the report names the device and the times', () => {
  it("a device's answered push is told with its UDID and both times", async () => {
    const r = await diagnose(argvOf(byId('healthy-mdm-round-trip', CASES)));
    const note = r.notes.find((n) => n.id === 'mdm.note.push_answered')!.text;
    expect(note).toContain(`${UDID_A} polled (Idle) at 2024-05-07T08:00:04.000Z (zone unknown)`);
    expect(note).toContain('push of 2024-05-07T08:00:03.000Z (zone unknown)');
  });

  it('the same evidence gives the same report, byte for byte', async () => {
    const argv = argvOf(byId('wrong-magic-healed', CASES));
    expect(JSON.stringify(await diagnose(argv))).toBe(JSON.stringify(await diagnose(argv)));
  });
});
