import { describe, expect, it } from 'vitest';
import { logShowDefault } from '../cases/support/formats.js';
import { cause, diagnose, file, note, questionIds } from './evidence.js';

/**
 * Troubleshooting step (TN2265, "Registration Succeeded But No Notifications
 * Received"): is the provider sending to the app's current device token?
 * APNs answering 200 does not settle it: APNs accepts a token left over from
 * before a restore or a re-install, and the push then goes nowhere. Only the
 * app's latest token, or the device receiving a push sent to it, does.
 */

const APP = 'com.example.chat';
const APNS_ID = '6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f';
const provider = file(
  'push-worker.log',
  `${[
    `2024-05-07T08:30:00.104Z INFO  push-worker sending alert topic=${APP} apns-id=${APNS_ID} host=api.push.apple.com`,
    `2024-05-07T08:30:00.211Z INFO  push-worker APNs accepted push apns-id=${APNS_ID} status=200`,
  ].join('\n')}\n`,
);
const STALE = 'apns.stale_token';
const NOTE = 'apns.note.accepted_token_may_be_stale';

describe("APNs accepted the provider's push (200), and nothing more is known about the token", () => {
  it('the stale token stays open, the report says why a 200 does not settle it, and asks whether the token is the latest', async () => {
    const r = await diagnose(provider);
    expect(cause(r, STALE)?.status).toBe('open');
    expect(note(r, NOTE)?.text).toMatch(/only means it took the request for that token/);
    expect(questionIds(r)).toContain('q.apns.token_fresh');
  });

  it('once the team says the provider uses the token of the latest launch, it is ruled out and the note goes', async () => {
    const r = await diagnose(provider, '--answer', 'q.apns.token_fresh=yes');
    expect(cause(r, STALE)?.status).toBe('ruled_out');
    expect(note(r, NOTE)).toBeUndefined();
  });

  it('told the token is from an earlier launch, the 200 does not rule it out either', async () => {
    const r = await diagnose(provider, '--answer', 'q.apns.token_fresh=no');
    expect(cause(r, STALE)?.status).not.toBe('ruled_out');
  });

  it("the device's apsd receiving the app's push right after the 200 shows the token is the device's: ruled out", async () => {
    const apsd = file(
      'apsd.log',
      logShowDefault([
        [
          '2024-05-07 10:30:00.412900+0200',
          'apsd',
          `[com.apple.apsd:courier] <APSCourier: 0x282f1c000>: Received message for enabled topic '${APP}' onInterface: NonCellular with payload '<private>' with priority 10`,
        ],
      ]),
    );
    const r = await diagnose(provider, apsd);
    expect(cause(r, STALE)?.status).toBe('ruled_out');
    expect(cause(r, STALE)?.rules.find((x: { id: string }) => x.id === 'apns.stale_token.current')?.result).toBe(true);
    expect(note(r, NOTE)).toBeUndefined();
  });
});
