import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, jamf, MAGIC, named, note, sysdiagnose, TOKEN, TOPIC, UDID_A, UDID_B, mdmPushCert } from './evidence.js';

/**
 * Troubleshooting step: "give Apple the time of each failed push and what
 * APNs answered it". Jamf Pro logs sending a push and APNs's answer on two
 * lines, the answer a fraction of a second later, in a log of every managed
 * device with the server's local time and no zone. Each push is one push:
 * its answer line is not a second push to list (or to count) in the draft.
 */

const SENDER = 'PushNotificationSender';
const ID_B = '1e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b';
const ID_A1 = '5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b';
const ID_A2 = '6e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b';
const sending = (t: string, id: number, udid: string) =>
  jamf(t, 'INFO', SENDER, `Sending MDM push notification. Device ID: ${id}, UDID: ${udid}, Topic: ${TOPIC}`);
const answered = (t: string, id: number, udid: string, apnsId: string) =>
  jamf(t, 'INFO', SENDER, `APNs response. Device ID: ${id}, UDID: ${udid}, Status: 200, apns-id: ${apnsId}`);

const log = file(
  'JAMFSoftwareServer.log',
  `${[
    // Another iPhone's push comes first: it is not when this device's failures began.
    sending('2024-05-07 07:40:02,117', 97, UDID_B),
    answered('2024-05-07 07:40:02,741', 97, UDID_B, ID_B),
    sending('2024-05-07 08:00:03,117', 412, UDID_A),
    answered('2024-05-07 08:00:03,741', 412, UDID_A, ID_A1),
    sending('2024-05-07 08:15:00,117', 412, UDID_A),
    answered('2024-05-07 08:15:00,741', 412, UDID_A, ID_A2),
    // The log goes on past a minute after the last push to A: that push had time to be answered.
    sending('2024-05-07 08:40:00,004', 97, UDID_B),
  ].join('\n')}\n`,
);
const cert = mdmPushCert();
const CHECKED = ['q.mdm.network_ok=yes', 'q.mdm.server_reachable=yes', 'q.mdm.push_soon_after_enrollment=no', `q.case.device=${UDID_A}`].flatMap((a) => [
  '--answer',
  a,
]);

describe("Jamf Pro's push and APNs answer lines in the Feedback draft", () => {
  it('lists each failed push to this device once, with its own apns-id, from the push line', async () => {
    const bundle = sysdiagnose({ taken: '2024.05.07_09-02-00+0000' });
    const r = await diagnose(bundle, log, cert, '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, '--now', '2024-05-07T10:00:00Z', ...CHECKED);
    expect(r.filing.status).toBe('ready');
    expect(facts(r, 'case.failed_push_count')[0]?.value).toBe(2);
    const draft = r.escalation.feedbackDraft as string;
    const section = draft.slice(draft.indexOf('Failed pushes to this device'));
    const pushes = section
      .slice(0, section.indexOf('\n\n'))
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(pushes).toHaveLength(2);
    expect(pushes[0]).toMatch(
      new RegExp(`^- 2024-05-07 08:00:03 \\(zone unknown\\): APNs response: 200; .*; apns-id ${ID_A1}; .* — \\S*JAMFSoftwareServer\\.log line 3$`),
    );
    expect(pushes[1]).toMatch(
      new RegExp(`^- 2024-05-07 08:15:00 \\(zone unknown\\): APNs response: 200; .*; apns-id ${ID_A2}; .* — \\S*JAMFSoftwareServer\\.log line 5$`),
    );
    expect(draft).toContain(
      "Between 2024-05-07 08:00:03 and 2024-05-07 08:15:00 (the server log's local time; its zone is not in the evidence) the server sent 2 pushes",
    );
    expect(draft).toContain('When pushes started failing: 2024-05-07 08:00:03 (zone unknown)');
    // The other iPhone's pushes are in no push line and no summary (the topic's evidence may span the whole log).
    expect(section.slice(0, section.indexOf('\n\n'))).not.toMatch(/07:40:02|08:40:00/);
    expect(draft.slice(0, draft.indexOf('Causes ruled out'))).not.toMatch(/07:40:02|08:40:00/);
    expect(draft).not.toContain(ID_B);
  });

  it('before the zone is known, the note on zone-less times writes them as the log did: no Z on a millisecond time', async () => {
    const bundle = sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T07:50:11Z' });
    const r = await diagnose(bundle, log, cert, '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, '--now', '2024-05-07T10:00:00Z', ...CHECKED);
    const text = note(r, 'case.note.zone_less_times')?.text as string;
    expect(text).toMatch(/JAMFSoftwareServer\.log \(2024-05-07 08:00:03\.117 to 2024-05-07 08:15:00\.117, no zone written\)/);
    expect(text).not.toMatch(/\d(\.\d+)?Z\b/);
  });
});

describe('a Jamf Pro push at the end of JAMFSoftwareServer.log.1 and its answer at the start of JAMFSoftwareServer.log', () => {
  const rejected = (t: string, id: number, udid: string, apnsId: string) =>
    jamf(t, 'INFO', SENDER, `APNs response. Device ID: ${id}, UDID: ${udid}, Status: 410, Reason: Unregistered, apns-id: ${apnsId}`);
  const logs = () =>
    // The newer file first, as a listing sorted by name gives them.
    named(
      ['JAMFSoftwareServer.log', `${[rejected('2024-05-07 08:15:00,741', 412, UDID_A, ID_A2), sending('2024-05-07 08:40:00,004', 97, UDID_B)].join('\n')}\n`],
      [
        'JAMFSoftwareServer.log.1',
        `${[
          sending('2024-05-07 08:00:03,117', 412, UDID_A),
          rejected('2024-05-07 08:00:03,741', 412, UDID_A, ID_A1),
          sending('2024-05-07 08:15:00,117', 412, UDID_A),
        ].join('\n')}\n`,
      ],
    );

  it('is one push, answered by the line in the newer file, not a push without an answer beside a second one', async () => {
    const bundle = sysdiagnose({ taken: '2024.05.07_09-02-00+0000' });
    const r = await diagnose(bundle, ...logs(), cert, '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, '--now', '2024-05-07T10:00:00Z', ...CHECKED);
    expect(facts(r, 'case.failed_push_count')[0]?.value).toBe(2);
    const draft = r.escalation.feedbackDraft as string;
    const section = draft.slice(draft.indexOf('Failed pushes to this device'));
    const pushes = section
      .slice(0, section.indexOf('\n\n'))
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(pushes).toHaveLength(2);
    expect(pushes[1]).toMatch(new RegExp(`410 Unregistered; .*apns-id ${ID_A2}`));
    expect(draft).toContain('the server sent 2 pushes to this device');
    expect(facts(r, 'server.push_answered').map((f) => f.source)).toEqual([expect.stringContaining('(0 of 2 pushes to it answered)')]);
  });
});
