import { describe, expect, it } from 'vitest';
import {
  diagnose,
  facts,
  file,
  jamfAnswered,
  jamfSending,
  mdmPushCert,
  nanoIdle,
  nanoLib,
  nanoTokenUpdate,
  note,
  serverValues,
  sysdiagnose,
  UDID_A,
  UDID_B,
} from './evidence.js';

/**
 * Troubleshooting step: "APNs answered the MDM server's push with 429: whose is it to fix?" A 429 is
 * TooManyRequests (too many pushes to one device token too quickly) or TooManyProviderTokenUpdates: either
 * way the server's pace, never Apple's. So when every other cause is ruled out, the 429 is not a failed push
 * to file with Apple, and the case is not "one for Apple" on its strength: the engineer collects a push the
 * device did not answer (sent at a pace APNs accepts). Every value below is made up.
 */

const CHECKED = ['q.mdm.network_ok=yes', 'q.mdm.server_reachable=yes', 'q.mdm.push_soon_after_enrollment=no', `q.case.device=${UDID_A}`].flatMap((a) => [
  '--answer',
  a,
]);
const jamfLog = (status: string) =>
  file(
    'JAMFSoftwareServer.log',
    `${[
      jamfSending('2024-05-07 08:00:03,117', 'Device ID: 412', UDID_A),
      jamfAnswered('2024-05-07 08:00:03,741', 'Device ID: 412', UDID_A, status),
      // The log goes on past a minute after the push: it had time to be answered.
      jamfSending('2024-05-07 08:40:00,004', 'Device ID: 412', UDID_A),
    ].join('\n')}\n`,
  );
/** NanoLIB (UTC): A's TokenUpdate, two pushes to A a second apart that APNs answers 429 TooManyRequests, B polling. */
const nanoLog = () =>
  file(
    'nanomdm.log',
    `${[
      ...nanoTokenUpdate(nanoLib, '2024-05-07T07:00:00', UDID_A),
      nanoLib('2024-05-07T08:00:03', `level=info service=push msg=push id=${UDID_A} err="push HTTP status: 429: APNs push error: TooManyRequests"`),
      nanoLib('2024-05-07T08:00:04', `level=info service=push msg=push id=${UDID_A} err="push HTTP status: 429: APNs push error: TooManyRequests"`),
      ...nanoIdle(nanoLib, '2024-05-07T08:00:09', UDID_B),
      nanoLib('2024-05-07T08:40:00', 'level=info handler=log addr=127.0.0.1 method=GET path=/version agent=curl/8.4.0'),
    ].join('\n')}\n`,
  );
const run = (log: string) =>
  diagnose(sysdiagnose({ taken: '2024.05.07_09-02-00+0000' }), log, mdmPushCert(), ...serverValues('2024-05-07T10:00:00Z'), ...CHECKED);

describe("a 429 in an MDM server's log, every other cause ruled out", () => {
  it('Jamf Pro: the 429 is not filed with Apple, and the case is not "one for Apple"', async () => {
    const r = await run(jamfLog('429'));
    expect(facts(r, 'mdm.apns_response').map((f) => f.value)).toEqual(['429']);
    expect(facts(r, 'case.failed_push')).toEqual([]);
    expect(r.headline).not.toMatch(/one for Apple/);
    expect(r.escalation).toBeNull();
    expect(r.filing.status).toBe('no_failed_push');
  });

  it('NanoMDM (push HTTP status: 429 TooManyRequests): likewise not filed with Apple', async () => {
    const r = await run(nanoLog());
    expect(facts(r, 'case.failed_push')).toEqual([]);
    expect(r.headline).not.toMatch(/one for Apple/);
    expect(r.escalation).toBeNull();
  });

  it('the same push answered 200 and never reaching the device is still one for Apple', async () => {
    const r = await run(jamfLog('200'));
    expect(facts(r, 'case.failed_push').map((f) => f.value)).toEqual(['200']);
    expect(r.filing.status).toBe('ready');
  });
});

/**
 * Troubleshooting step: "APNs answered 429: is the device at fault?" The report says plainly that it is the
 * server pushing one device too often, with what to look for on the server, and only for the device whose
 * pushes APNs turned away.
 */
describe("a note on the MDM server's own push pace", () => {
  it('Jamf Pro 429: the note names the 429 as the server pushing one device too often, not a device fault', async () => {
    const text = note(await run(jamfLog('429')), 'mdm.note.push_rate_limited')?.text;
    expect(text).toMatch(/429 \(429\)/);
    expect(text).toMatch(/server's own pace, not a fault of the device/);
    expect(text).toMatch(/retry loop/);
  });

  it('NanoMDM TooManyRequests to the case device: the note names the reason', async () => {
    const r = await run(nanoLog());
    expect(note(r, 'mdm.note.push_rate_limited')?.text).toMatch(/429 \(TooManyRequests\)/);
  });

  it('pushes APNs accepted (200): no such note', async () => {
    expect(note(await run(jamfLog('200')), 'mdm.note.push_rate_limited')).toBeUndefined();
  });

  it("another device's 429 in the same log: no note for the case's device", async () => {
    const r = await diagnose(nanoLog(), ...serverValues('2024-05-07T10:00:00Z'), '--answer', `q.case.device=${UDID_B}`);
    expect(facts(r, 'mdm.apns_response').every((f) => f.setAside)).toBe(true);
    expect(note(r, 'mdm.note.push_rate_limited')).toBeUndefined();
  });
});
