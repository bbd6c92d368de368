import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { cause, diagnose, facts, file, jamf, questionIds, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "find the push in the MDM server's log and read what
 * APNs answered". Jamf Pro writes its server log (JAMFSoftwareServer.log) in
 * a log4j layout: the server's local time with milliseconds and no zone,
 * level, thread and logger cut to fixed widths, then the message with its
 * details as `Key: value` pairs. Sending a push and APNs's answer are lines
 * of their own, one log holds every managed device, and Jamf names a device
 * by its own id ("Device ID: 412") beside, or instead of, its UDID. Every
 * value below is made up.
 */

const SENDER = 'PushNotificationSender';
const APNS_ID_A = '5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b';

const twoDevices = file(
  'JAMFSoftwareServer.log',
  `${[
    jamf('2024-05-06 09:13:58,004', 'INFO', 'MobileDeviceCommandManager', 'Queued command DeviceInformation for mobile device id 412'),
    jamf('2024-05-06 09:14:02,117', 'INFO', SENDER, `Sending MDM push notification. Device ID: 412, UDID: ${UDID_A}, Topic: ${TOPIC}`),
    jamf('2024-05-06 09:14:02,602', 'INFO', SENDER, `Sending MDM push notification. Device ID: 97, UDID: ${UDID_B}, Topic: ${TOPIC}`),
    jamf('2024-05-06 09:14:02,741', 'INFO', SENDER, `APNs response. Device ID: 412, UDID: ${UDID_A}, Status: 200, apns-id: ${APNS_ID_A}`),
    jamf('2024-05-06 09:14:03,002', 'ERROR', SENDER, `APNs rejected push notification. Device ID: 97, UDID: ${UDID_B}, Status: 410, Reason: Unregistered`),
  ].join('\n')}\n`,
);

describe("Jamf Pro's push lines: each push, to which device, and what APNs answered", () => {
  it('reads a push per device, joined with the answer line that followed it, times as written (zone unknown)', async () => {
    const r = await diagnose(twoDevices);
    const sent = facts(r, 'server.push_sent').map((f) => [f.at, f.attrs.udid, f.attrs.device_id, f.attrs.status, f.attrs.reason, f.attrs.zone]);
    expect(sent).toEqual([
      ['2024-05-06T09:14:02.117Z', UDID_A, 'mobile-device-412', '200', undefined, 'unknown'],
      ['2024-05-06T09:14:02.602Z', UDID_B, 'mobile-device-97', '410', 'Unregistered', 'unknown'],
    ]);
    expect(facts(r, 'server.push_sent')[0].attrs).toMatchObject({ apns_id: APNS_ID_A, topic: TOPIC });
    expect(facts(r, 'server.push_status').map((f) => [f.value, f.attrs.udid])).toEqual([
      [200, UDID_A],
      [410, UDID_B],
    ]);
    // The APNs answers name their device too.
    expect(facts(r, 'mdm.apns_response').map((f) => [f.value, f.attrs.udid])).toEqual([
      ['200', UDID_A],
      ['Unregistered', UDID_B],
    ]);
  });

  it('with two devices and no word on which one, asks which device before blaming one', async () => {
    const r = await diagnose(twoDevices);
    expect(questionIds(r)[0]).toBe('q.case.device');
    // One device's token is gone; nothing yet says that device is the case's.
    for (const id of ['mdm.unenrolled', 'mdm.wiped', 'mdm.wrong_token']) expect(cause(r, id)?.status, id).not.toBe('likely');
  });

  it('once the device whose token APNs called Unregistered is named, it probably left MDM or was erased', async () => {
    const r = await diagnose(twoDevices, '--answer', `q.case.device=${UDID_B}`);
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('likely');
    expect(cause(r, 'mdm.wiped')?.status).toBe('likely');
  });

  it('once the device APNs accepted the push for is named, the other device is no evidence against it', async () => {
    const r = await diagnose(twoDevices, '--answer', `q.case.device=${UDID_A}`);
    for (const id of ['mdm.unenrolled', 'mdm.wiped', 'mdm.wrong_token']) expect(cause(r, id)?.status, id).toBe('open');
    // APNs accepted a push from this server: its push certificate works.
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('ruled_out');
  });

  it('accepts the device by the id Jamf shows in its inventory as well', async () => {
    const r = await diagnose(twoDevices, '--answer', 'q.case.device=mobile-device-97');
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('likely');
  });
});

describe('the shapes Jamf push lines come in', () => {
  it.each([
    [
      'one-second timestamps (a log4j layout without milliseconds)',
      jamf('2024-05-06 09:14:02', 'INFO', SENDER, `APNs response. Device ID: 412, UDID: ${UDID_A}, Status: 200`),
      { at: '2024-05-06T09:14:02.000Z', udid: UDID_A, status: '200' },
    ],
    [
      'a UDID masked before the log was shared: Jamf’s own id still names the device',
      jamf('2024-05-06 09:14:02,117', 'ERROR', SENDER, 'APNs rejected push notification. Device ID: 97, UDID: <redacted>, Status: 400, Reason: BadDeviceToken'),
      { udid: 'mobile-device-97', device_id: 'mobile-device-97', status: '400', reason: 'BadDeviceToken' },
    ],
    [
      'a reason with no status: the status is the reason’s',
      jamf('2024-05-06 09:14:02,117', 'ERROR', SENDER, `Push notification failed. UDID: ${UDID_A}, Reason: DeviceTokenNotForTopic`),
      { udid: UDID_A, status: '400', reason: 'DeviceTokenNotForTopic' },
    ],
    [
      'a failure without any APNs answer',
      jamf('2024-05-06 09:14:02,117', 'ERROR', SENDER, `Failed to send push notification. Device ID: 412, UDID: ${UDID_A}`),
      { udid: UDID_A, status: 'failed' },
    ],
    [
      'a computer rather than a mobile device',
      jamf('2024-05-06 09:14:02,117', 'INFO', SENDER, 'Sending push notification. Computer ID: 87, UDID: 6B1E0F4A-92C3-5D78-A4E6-3F8B2C1D9E07'),
      { udid: '6B1E0F4A-92C3-5D78-A4E6-3F8B2C1D9E07', device_id: 'computer-87', status: 'sent' },
    ],
  ])('%s', async (_shape, line, expected) => {
    const r = await diagnose(file('JAMFSoftwareServer.log', `${line}\n`));
    const sent = facts(r, 'server.push_sent');
    expect(sent).toHaveLength(1);
    const { at, ...attrs } = expected as Record<string, string>;
    if (at) expect(sent[0].at).toBe(at);
    expect(sent[0].attrs).toMatchObject(attrs);
  });

  it('a push line about the push certificate names no push', async () => {
    const line = jamf('2024-05-06 09:14:02,117', 'WARN', 'PushCertificateMonitor', `APNs push certificate expires in 20 days. Topic: ${TOPIC}`);
    const r = await diagnose(file('JAMFSoftwareServer.log', `${line}\n`));
    expect(facts(r, 'server.push_sent')).toEqual([]);
  });

  it('an answer a minute after the push is its own push, not the earlier one’s answer', async () => {
    const log = file(
      'JAMFSoftwareServer.log',
      `${[
        jamf('2024-05-06 09:14:02,117', 'INFO', SENDER, `Sending MDM push notification. Device ID: 412, UDID: ${UDID_A}`),
        jamf('2024-05-06 09:20:02,117', 'INFO', SENDER, `APNs response. Device ID: 412, UDID: ${UDID_A}, Status: 200`),
      ].join('\n')}\n`,
    );
    const r = await diagnose(log);
    expect(facts(r, 'server.push_sent').map((f) => f.attrs.status)).toEqual(['sent', '200']);
  });

  it('the terminal report shows the push with its time as written and says the zone is unknown', async () => {
    const { out } = await cli('diagnose', twoDevices, '--answer', `q.case.device=${UDID_B}`);
    expect(out).toContain('2024-05-06 09:14:03 (zone unknown)');
    expect(out).toContain('Unregistered');
  });
});

describe('what a Jamf push line already answers is not asked', () => {
  it('the topic the push went out on is the server’s topic: q.mdm.server_topic is not asked', async () => {
    const r = await diagnose(twoDevices, '--answer', `q.case.device=${UDID_A}`);
    expect(facts(r, 'server.topic').map((f) => f.value)).toEqual([TOPIC]);
    expect(questionIds(r)).not.toContain('q.mdm.server_topic');
  });

  it('a masked topic is named, never compared', async () => {
    const line = jamf(
      '2024-05-06 09:14:02,117',
      'INFO',
      SENDER,
      `Sending MDM push notification. Device ID: 412, UDID: ${UDID_A}, Topic: com.apple.mgmt.External.<redacted>`,
    );
    const r = await diagnose(file('JAMFSoftwareServer.log', `${line}\n`));
    expect(facts(r, 'server.topic')).toEqual([]);
  });
});

describe('a Jamf log whose push lines name no usable device', () => {
  it('says so, instead of leaving the engineer with nothing', async () => {
    const line = jamf(
      '2024-05-06 09:14:03,002',
      'ERROR',
      SENDER,
      'APNs rejected push notification. Device ID: ***, UDID: <redacted>, Status: 410, Reason: Unregistered',
    );
    const r = await diagnose(file('JAMFSoftwareServer.log', `${line}\n`));
    expect(facts(r, 'server.push_sent')).toEqual([]);
    const p = r.problems.find((x: { code: string }) => x.code === 'jamflog.incomplete_lines');
    expect(p?.message).toMatch(/1 Jamf Pro push line.*line 1.*no device/);
  });
});
