import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, logShow, questionIds } from './evidence.js';

/**
 * Troubleshooting step (TN2265, "Observing Push Status Messages"): did the push to this token reach the device?
 * apsd's "Received message for enabled topic" right after APNs accepted a push says that push arrived. A
 * provider's log holds pushes to several tokens (other devices, or an old token of this one kept after a
 * restore): a receipt right after the push to one token says nothing of the push to another, which may never
 * have arrived.
 */

const OLD = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const NEW = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';

const accepted = (t: string, token: string, n: number) =>
  `${t} INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2${n} token=${token} apns-topic=com.example.demo status=200`;

/** A push to OLD at 10:00 with nothing on the device after it, one to NEW at 10:05 that apsd received a second later. */
const evidence = () => [
  file('provider.log', `${accepted('2026-11-20T10:00:00.004Z', OLD, 1)}\n${accepted('2026-11-20T10:05:00.104Z', NEW, 2)}\n`),
  file(
    'apsd.log',
    logShow([
      [
        '2026-11-20 11:04:58.117203+0100',
        'apsd',
        '(PersistentConnection) [com.apple.apsd:connection] <APSCourier: 0x282f1c000>: Connected to courier 31-courier.push.apple.com (17.57.146.52:5223) connectionType WiFi',
      ],
      [
        '2026-11-20 11:05:00.412900+0100',
        'apsd',
        "[com.apple.apsd:courier] <APSCourier: 0x282f1c000>: Received message for enabled topic 'com.example.demo' onInterface: NonCellular with payload '<private>' with priority 10",
      ],
    ]),
  ),
];

describe("the device received the app's push right after APNs accepted a push to one of two tokens", () => {
  it('the receipt is tied to the token whose push it followed', async () => {
    const r = await diagnose(...evidence());
    expect(facts(r, 'apns.push_reached_device').map((f) => f.attrs.pushed_at)).toEqual(['2026-11-20T10:05:00.104Z']);
  });

  it('no word on which token is the case: a stale token stays open, and the case asks which device', async () => {
    const r = await diagnose(...evidence());
    expect(cause(r, 'apns.stale_token')?.status).not.toBe('ruled_out');
    expect(questionIds(r)[0]).toBe('q.case.device');
  });

  it('the case is the token whose push nothing followed: a stale token or a removed app stay open', async () => {
    const r = await diagnose(...evidence(), '--answer', `q.case.device=${OLD}`);
    expect(cause(r, 'apns.stale_token')?.status).not.toBe('ruled_out');
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('ruled_out');
    expect(cause(r, 'apns.missing_entitlement')?.status).not.toBe('ruled_out');
  });

  it('the case is the token whose push apsd received: that push reached the device, the stale token is ruled out', async () => {
    const r = await diagnose(...evidence(), '--answer', `q.case.device=${NEW}`);
    expect(cause(r, 'apns.stale_token')?.status).toBe('ruled_out');
    expect(cause(r, 'apns.missing_entitlement')?.status).toBe('ruled_out');
  });
});
