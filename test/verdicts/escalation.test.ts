import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { diagnose, file, MAGIC, microPush, note, sysdiagnose, TOKEN, TOPIC, UDID_A, UDID_B, mdmPushCert } from './evidence.js';

/**
 * Issue 8 item 6: escalate only what seed 000 says Apple needs. Every cause
 * ruled out is not enough: Apple looks up a failed push, so the draft needs
 * one on record (a push this device did not answer, with APNs's answer).
 */

// The MDM push certificate the server pushes with (topic = subject UID), valid at the time of the run.
const cert = mdmPushCert();
const SERVER = ['--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, '--now', '2024-05-07T10:00:00Z'];
// Someone checked the network from the device (other devices on that Wi-Fi get pushes).
const CHECKED = ['--answer', 'q.mdm.network_ok=yes'];

describe('every cause ruled out, but no failed push on record', () => {
  // A sysdiagnose that agrees with the server on topic, token and PushMagic, the push certificate, and the
  // server's log: APNs accepts its pushes to other iPhones; for this one it holds no push at all.
  const bundle = sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T08:40:11Z' });
  const others = file(
    'micromdm-others.log',
    `${[microPush('2024-05-07T07:58:12.402113', UDID_B, '1C2D3E4F-5A6B-4C7D-8E9F-0A1B2C3D4E5F'), microPush('2024-05-07T08:05:41.902553', UDID_B, '2D3E4F5A-6B7C-4D8E-9F0A-1B2C3D4E5F6A')].join('\n')}\n`,
  );
  const args = [bundle, cert, others, ...SERVER, ...CHECKED, '--answer', 'q.mdm.push_soon_after_enrollment=no', '--answer', `q.case.device=${UDID_A}`];

  it('gives no draft; the report says exactly what to collect before filing', async () => {
    const r = await diagnose(...args);
    expect(r.causes.filter((c: { status: string }) => c.status !== 'ruled_out').map((c: { id: string }) => c.id)).toEqual([]);
    expect(r.escalation).toBeNull();
    expect(r.filing.status).toBe('no_failed_push');
    // The headline says the next action (issue 12): the first thing to collect.
    expect(r.headline).toBe('Every known cause is ruled out, but no failed push is on record — collect a push to this device that it did not answer.');
    expect(r.nextAction).toEqual({ kind: 'attach', text: r.filing.collect[0], attach: r.filing.collect[0] });
    const text = note(r, 'case.note.collect_before_filing')?.text as string;
    expect(text).toMatch(/^Every known cause is ruled out, but Apple needs a failed push to look into and the evidence holds none/);
    expect(text).toContain('(1) A push to this device that it did not answer');
    expect(text).toContain("(2) APNs's answer to that push: the HTTP status (200 when APNs accepted it)");
    expect(text).toContain("(4) Apple's Managed Configuration and APNS logging profiles installed");
    expect(r.filing.collect).toHaveLength(4);
  });

  it('`pushcheck feedback` prints no draft and says why', async () => {
    const out = await cli('feedback', ...args);
    expect(out.code).toBe(0);
    expect(out.out).toBe('');
    expect(out.err).toMatch(/every known cause is ruled out, but no failed push is on record/);
  });
});

describe('a failed push whose time is not known', () => {
  const bundle = sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T08:40:11Z' });

  it("drafts, with the push's time as the first thing still to add, never a guessed one", async () => {
    // The engineer read APNs's 200 off the MDM console but has no log line with its time. With no time,
    // the device's earlier poll cannot be placed after the failure, so someone checked the server URL
    // from the device as well.
    const r = await diagnose(
      bundle,
      cert,
      ...SERVER,
      ...CHECKED,
      '--answer',
      'q.mdm.push_soon_after_enrollment=no',
      '--answer',
      'q.mdm.push_status=200',
      '--answer',
      'q.mdm.server_reachable=yes',
    );
    expect(r.filing.status).toBe('ready');
    expect(r.escalation.missing[0]).toBe('Times of failed pushes');
    const draft = r.escalation.feedbackDraft as string;
    const still = draft.slice(draft.indexOf('Still to add before filing'));
    expect(still.split('\n')[1]).toBe(
      "- Times of failed pushes: a failed push is on record without its time: add the MDM server's log lines for it, or say when it was sent",
    );
    // Told by the engineer, not read from a log: said so in words, not as a question id and a flag.
    expect(draft).toContain(
      '- time not in the evidence yet: APNs response: 200; no device contact with the MDM server within a minute — answered by the support engineer\n',
    );
    expect(draft).toContain('When pushes started failing: (not in the evidence yet)');
    // Nothing in the draft is a time the evidence does not hold.
    expect(draft).not.toMatch(/Between \d{4}/);
    expect(r.filing.checklist.find((c: { id: string }) => c.id === 'feedback.sysdiagnose').done).toBe(false);
  });
});

describe('a logged failed push', () => {
  // MicroMDM's log: the pushes to A (each with the apns-id APNs returned, no error) and, in the same
  // log, pushes to another iPhone B. A never came; its own successful poll (MDM.plist) was later.
  const log = file(
    'micromdm.log',
    `${[
      microPush('2024-05-07T07:58:12.402113', UDID_B, '1C2D3E4F-5A6B-4C7D-8E9F-0A1B2C3D4E5F'),
      microPush('2024-05-07T08:00:03.118204', UDID_A, '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B'),
      microPush('2024-05-07T08:05:41.902553', UDID_B, '2D3E4F5A-6B7C-4D8E-9F0A-1B2C3D4E5F6A'),
      microPush('2024-05-07T08:15:00.771349', UDID_A, '5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C'),
      microPush('2024-05-07T08:20:19.006021', UDID_B, '3E4F5A6B-7C8D-4E9F-8A1B-2C3D4E5F6A7B'),
    ].join('\n')}\n`,
  );
  const run = (taken: string) =>
    diagnose(
      sysdiagnose({ taken, lastPollingSuccess: '2024-05-07T08:40:11Z', installed: '2023-05-02T10:00:00Z' }),
      log,
      cert,
      ...SERVER,
      ...CHECKED,
      '--answer',
      `q.case.device=${UDID_A}`,
    );

  it("drafts with each failed push's time, APNs answer, apns-id and the device's UDID, counted for this device only", async () => {
    const r = await run('2024.05.07_09-02-00+0000');
    expect(r.filing.status).toBe('ready');
    const draft = r.escalation.feedbackDraft as string;
    // Each time in UTC with its zone said, and the log line it was read from by the log's name.
    expect(draft).toMatch(
      new RegExp(
        `^- 2024-05-07 08:00:03 UTC: APNs response: 200; no device contact with the MDM server within a minute; apns-id 4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B; device UDID ${UDID_A} — \\S*micromdm\\.log line 2$`,
        'm',
      ),
    );
    expect(draft).toMatch(
      new RegExp(
        `^- 2024-05-07 08:15:00 UTC: APNs response: 200; no device contact with the MDM server within a minute; apns-id 5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C; device UDID ${UDID_A} — \\S*micromdm\\.log line 4$`,
        'm',
      ),
    );
    // B's three pushes are not this device's: not in the list, and not in the evidence that ruled causes out.
    expect(draft).not.toContain(UDID_B);
    expect(draft).toMatch(new RegExp(`^ {2}Evidence: HTTP status APNs answered a push with: 200 \\(device ${UDID_A}\\b.*micromdm\\.log: 2 lines`, 'm'));
    expect(draft).toContain(
      `Between 2024-05-07 08:00:03 UTC and 2024-05-07 08:15:00 UTC the server sent 2 pushes to this device (${UDID_A}) that got no answer; APNs answered 200.`,
    );
    expect(draft).toContain('When pushes started failing: 2024-05-07 08:00:03 UTC (the earliest failed push in the evidence; failures may have begun earlier)');
    // The sysdiagnose (09:02) came after the failed push (08:15): ticked because the times prove it.
    expect(draft).toMatch(/^- \[x\] A sysdiagnose taken after reproducing, within a day or two of the failures starting$/m);
    expect(draft).toMatch(/^- \[x\] Times of failed pushes$/m);
  });

  it('a sysdiagnose taken before the failed push is not ticked, and the draft says why', async () => {
    const r = await run('2024.05.07_08-10-00+0000');
    const item = r.filing.checklist.find((c: { id: string }) => c.id === 'feedback.sysdiagnose');
    expect(item.done).toBe(false);
    expect(item.todo).toBe('the sysdiagnose (2024-05-07T08:10:00Z) was taken before the latest failed push: reproduce the failure, then take a fresh one');
    expect(r.escalation.missing).toContain('A sysdiagnose taken after reproducing, within a day or two of the failures starting');
  });

  it('logging profiles count only when installed before the failed push', async () => {
    const before = sysdiagnose({
      taken: '2024.05.07_09-02-00+0000',
      lastPollingSuccess: '2024-05-07T08:40:11Z',
      logging: [
        { kind: 'ManagedConfiguration', installed: '2024-05-06T17:00:00Z' },
        { kind: 'APNS', installed: '2024-05-07T08:30:00Z' },
      ],
    });
    const r = await diagnose(before, log, cert, ...SERVER, ...CHECKED, '--answer', `q.case.device=${UDID_A}`);
    const done = Object.fromEntries(r.filing.checklist.map((c: { id: string; done: boolean }) => [c.id, c.done]));
    expect(done['feedback.managed_configuration_logging']).toBe(true);
    // Installed after the last failed push (08:15): that failure was not reproduced with it.
    expect(done['feedback.apns_logging']).toBe(false);
  });
});
