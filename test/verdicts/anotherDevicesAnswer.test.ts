import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, goLog, nanoPush, nanoTokenUpdate, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the push to *this* device?"
 * One MDM server log holds the pushes of every device it manages. APNs told
 * the server that another device's token is gone (410 Unregistered); that
 * says nothing of the case's device, whose own push APNs accepted.
 */

const log = file(
  'nanomdm.log',
  `${[
    ...nanoTokenUpdate(goLog, '2022-11-08 16:05:03', UDID_A),
    ...nanoPush(goLog, '2022-11-08 16:11:20', UDID_A),
    goLog(
      '2022-11-08 16:12:20',
      `level=info service=push msg=push id=${UDID_B} err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1667923940"`,
    ),
  ].join('\n')}\n`,
);

describe("another device's APNs answer in the same server log", () => {
  it('names the device it was about', async () => {
    const r = await diagnose(log);
    expect(facts(r, 'mdm.apns_response').map((f) => [f.value, f.attrs.udid])).toEqual([['Unregistered', UDID_B]]);
  });

  it("is not held against the case's device, whose push APNs accepted", async () => {
    const r = await diagnose(log, '--answer', `q.case.device=${UDID_A}`);
    for (const id of ['mdm.unenrolled', 'mdm.wiped', 'mdm.wrong_token']) expect(cause(r, id)?.status, id).not.toBe('likely');
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('open');
  });

  it('still convicts the device it was about', async () => {
    const r = await diagnose(log, '--answer', `q.case.device=${UDID_B}`);
    expect(cause(r, 'mdm.unenrolled')?.status).toBe('likely');
  });
});
