import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { cause, diagnose, facts, file, goLog, nanoPush, note, questionIds, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "when did the device last reach the MDM server?"
 * Jamf Pro answers it in its own words ("has not checked in since …"). That
 * time is the device's last contact: pushes after it went unanswered. It is
 * the server's record, never APNs's answer, and a device gone quiet is what
 * a wipe or an unenrollment looks like too, so it proves no enrollment now.
 */

// JAMFSoftwareServer.log style: the server's local time with milliseconds after a comma, no zone.
const jamf = (t: string, rest: string) => `${t},482 [WARN ] [Tomcat-31      ] [MobileDeviceCheckInMonitor] - ${rest}`;
const jamfLog = file(
  'JAMFSoftwareServer.log',
  `${[
    `2024-05-06 09:18:40,103 [INFO ] [Tomcat-12      ] [MobileDeviceInventoryHelper] - Inventory report for mobile device id 412 requested`,
    jamf('2024-05-06 09:20:11', `Mobile device id 412 (serial F4GXK2Q9N73H, UDID ${UDID_A}) has not checked in since 2024-05-06 08:58:12`),
    jamf('2024-05-06 09:20:11', `Mobile device id 97 (serial DMPXR4L2JF8K, UDID ${UDID_B}) has not checked in since 2024-05-01 17:02:45`),
  ].join('\n')}\n`,
);
const LAST = 'mdm.note.server_last_checkin';

describe("Jamf Pro's server log says when each device last checked in", () => {
  it("reads each line as that device's last contact, with the time as written (zone unknown) and when the server said so", async () => {
    const r = await diagnose(jamfLog);
    expect(facts(r, 'server.device_last_checkin').map((f) => [f.value, f.attrs.udid, f.attrs.serial, f.attrs.zone, f.attrs.reported_at])).toEqual(
      [
        ['2024-05-06T08:58:12.000Z', UDID_A, 'F4GXK2Q9N73H', 'unknown', '2024-05-06T09:20:11.482Z'],
        ['2024-05-01T17:02:45.000Z', UDID_B, 'DMPXR4L2JF8K', 'unknown', '2024-05-06T09:20:11.482Z'],
      ].reverse(),
    );
    // Two devices and no word on which one: ask, as for any server log.
    expect(questionIds(r)[0]).toBe('q.case.device');
  });

  it("once the device is named, the note gives its last check-in alone, in people's words", async () => {
    const r = await diagnose(jamfLog, '--answer', `q.case.device=${UDID_A}`);
    const json = note(r, LAST)?.text as string;
    expect(json).toContain(
      `${UDID_A}: last checked in at 2024-05-06T08:58:12.000Z (zone unknown), as the server logged at 2024-05-06T09:20:11.482Z (zone unknown)`,
    );
    expect(json).not.toContain(UDID_B);
    expect(json).toContain("not APNs's answer");
    const { out } = await cli('diagnose', jamfLog, '--answer', `q.case.device=${UDID_A}`);
    expect(out).toContain(`${UDID_A}: last checked in at 2024-05-06 08:58:12 (zone unknown), as the server logged at 2024-05-06 09:20:11 (zone unknown)`);
  });

  it('is no APNs answer and no proof of a current enrollment: a wipe or unenrollment stays open', async () => {
    const r = await diagnose(jamfLog, '--answer', `q.case.device=${UDID_A}`);
    expect(facts(r, 'server.push_status')).toEqual([]);
    expect(facts(r, 'server.push_answered')).toEqual([]);
    expect(facts(r, 'device.mdm_enrolled')).toEqual([]);
    for (const id of ['mdm.wiped', 'mdm.unenrolled', 'mdm.network', 'mdm.wrong_token', 'mdm.wrong_magic', 'mdm.wrong_topic'])
      expect(cause(r, id)?.status, id).toBe('open');
    // It did finish enrolling once: it checked in.
    expect(cause(r, 'mdm.enrollment_identity_failed')?.status).toBe('ruled_out');
  });

  it('a line that only mentions check-ins, with no time, is not read as one', async () => {
    const r = await diagnose(
      file('JAMFSoftwareServer-2.log', `${jamf('2024-05-06 09:20:11', `Mobile device id 412 (UDID ${UDID_A}) check-in frequency set to 15 minutes`)}\n`),
    );
    expect(facts(r, 'server.device_last_checkin')).toEqual([]);
  });
});

describe('a push from NanoMDM, and Jamf Pro saying the device has been quiet since before it', () => {
  // Both logs write the server's local time without a zone: they are compared only once the zone is known.
  const nano = file('nanomdm.log', `${nanoPush(goLog, '2024-05-06T09:00:00', UDID_A).join('\n')}\n`);

  it('with no zone known, the push is not judged and the zone is asked first', async () => {
    const r = await diagnose(nano, jamfLog, '--topic', TOPIC, '--answer', `q.case.device=${UDID_A}`);
    expect(facts(r, 'server.push_answered')).toEqual([]);
    expect(questionIds(r)[0]).toBe('q.case.log_time_zone');
  });

  it('with the zone answered, the push at 09:00:00 is unanswered: the last check-in was 08:58:12 and the server still saw none at 09:20:11', async () => {
    const r = await diagnose(nano, jamfLog, '--topic', TOPIC, '--answer', `q.case.device=${UDID_A}`, '--answer', 'q.case.log_time_zone=UTC');
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[false, '2024-05-06T09:00:00.000Z']]);
  });
});

describe('the shapes Jamf Pro and engineers write it in', () => {
  it.each([
    [`Jamf Pro: mobile device (UDID ${UDID_A}) has not checked in since 2024-05-07 08:15:20 UTC`, '2024-05-07T08:15:20.000Z', undefined],
    ["iPad hasn't checked in since 2024-05-07 08:15:20+0200", '2024-05-07T06:15:20.000Z', '+02:00'],
    ['Last Check-in: 2024-05-07 at 8:58 PM', '2024-05-07T20:58:00.000Z', 'unknown'],
    ['Last Check-in: 2024-05-07 at 12:05 AM', '2024-05-07T00:05:00.000Z', 'unknown'],
  ])('"%s" is a last check-in at %s (zone %s)', async (line, at, zone) => {
    const r = await diagnose('--paste', line);
    const f = facts(r, 'server.device_last_checkin');
    expect(f.map((x) => [x.at, x.attrs.zone])).toEqual([[at, zone]]);
  });
});
