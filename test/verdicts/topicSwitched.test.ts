import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, nanoIdle, nanoLib, nanoPush, sysdiagnose, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "which topic does the server push on now?" NanoMDM names the push certificate's
 * topic for each push. A server whose certificate was replaced (Create, not Renew) pushed on the device's
 * topic until the switch and on the new one since: the old topic is history, and the device, still on the
 * old topic, no longer hears the pushes. A server that pushes on two topics by turns (one certificate per
 * group of devices) has switched nothing.
 */

const NEW_TOPIC = 'com.apple.mgmt.External.11111111-2222-4333-8444-555555555555';
const UDID_C = '00008030-001C4D2E3A6B802E';
const push = (t: string, udid: string, topic: string) => nanoPush(nanoLib, t, udid, topic);
const log = (lines: string[][]) => file('nanomdm.log', `${lines.flat().join('\n')}\n`);
/** The device's sysdiagnose: its MDM payload's topic is TOPIC. */
const bundle = () => sysdiagnose({ taken: '2024.05.07_09-02-00+0000' });
const CASE = ['--answer', `q.case.device=${UDID_A}`];

describe("the server's push certificate topic changed in its log", () => {
  it('pushes on the new topic since: the old topic no longer rules the wrong topic out', async () => {
    const r = await diagnose(
      bundle(),
      log([
        push('2024-05-07T07:00:00', UDID_A, TOPIC),
        nanoIdle(nanoLib, '2024-05-07T07:00:02', UDID_A),
        push('2024-05-07T08:00:00', UDID_A, NEW_TOPIC),
        nanoIdle(nanoLib, '2024-05-07T08:30:00', UDID_B),
      ]),
      ...CASE,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('confirmed');
  });

  it("back on the device's topic after a while on another: ruled out", async () => {
    const r = await diagnose(
      bundle(),
      log([push('2024-05-07T07:00:00', UDID_A, NEW_TOPIC), push('2024-05-07T08:00:00', UDID_A, TOPIC), nanoIdle(nanoLib, '2024-05-07T08:00:02', UDID_A)]),
      ...CASE,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('ruled_out');
  });

  it('two topics by turns (one certificate per group of devices): neither is history', async () => {
    const r = await diagnose(
      bundle(),
      log([
        push('2024-05-07T07:00:00', UDID_A, TOPIC),
        push('2024-05-07T07:30:00', UDID_B, NEW_TOPIC),
        push('2024-05-07T08:00:00', UDID_A, TOPIC),
        push('2024-05-07T08:30:00', UDID_B, NEW_TOPIC),
        nanoIdle(nanoLib, '2024-05-07T08:45:00', UDID_B),
      ]),
      ...CASE,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).not.toBe('confirmed');
  });

  it('one group of devices pushed on one topic, then another group on another (a certificate per group): no switch for either', async () => {
    const r = await diagnose(
      bundle(),
      log([
        push('2024-05-07T07:00:00', UDID_A, TOPIC),
        push('2024-05-07T07:10:00', UDID_C, TOPIC),
        push('2024-05-07T07:20:00', UDID_A, TOPIC),
        nanoIdle(nanoLib, '2024-05-07T07:20:02', UDID_A),
        push('2024-05-07T08:00:00', UDID_B, NEW_TOPIC),
        push('2024-05-07T08:30:00', UDID_B, NEW_TOPIC),
      ]),
      ...CASE,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).not.toBe('confirmed');
  });

  it('the case device itself moved to the new topic while another device was pushed on the old one before: the old topic is history', async () => {
    const r = await diagnose(
      bundle(),
      log([
        push('2024-05-07T07:00:00', UDID_A, TOPIC),
        push('2024-05-07T07:10:00', UDID_C, TOPIC),
        nanoIdle(nanoLib, '2024-05-07T07:10:02', UDID_C),
        push('2024-05-07T08:00:00', UDID_A, NEW_TOPIC),
        push('2024-05-07T08:30:00', UDID_B, NEW_TOPIC),
      ]),
      ...CASE,
    );
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('confirmed');
  });
});
