import { describe, expect, it } from 'vitest';
import { diagnose, facts, file, logShow, nanoIdle, nanoLib, nanoPush, note, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * Troubleshooting step: "look the push up by its apns-id in the Push
 * Notifications Console". The Console's Delivery Log lists an app team's
 * pushes; an MDM server's push is not in it. So the advice belongs to app
 * pushes only: never to an apns-id from an MDM case, even when the device's
 * log also shows other apps' pushes arriving.
 */

const LOOKUP = 'apns.note.look_up_apns_id';
const APNS_ID = '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B';
// NanoLIB (UTC): the admin's push to A, and B polling later.
const server = file(
  'nanomdm.log',
  `${[...nanoPush(nanoLib, '2024-05-06T09:00:00', UDID_A), ...nanoIdle(nanoLib, '2024-05-06T09:05:00', UDID_B)].join('\n')}\n`,
);
// The iPhone's log: apsd receiving two apps' pushes, as any device log has.
const device = file(
  'iphone-apsd.log',
  logShow([
    [
      '2024-05-06 10:58:00.100000+0100',
      'apsd',
      "[com.apple.apsd:courier] <APSCourier: 0x1>: Received message for enabled topic 'com.example.chat' onInterface: NonCellular with payload '<private>' with priority 10",
    ],
    [
      '2024-05-06 10:59:00.100000+0100',
      'apsd',
      "[com.apple.apsd:courier] <APSCourier: 0x1>: Received message for enabled topic 'com.example.news' onInterface: NonCellular with payload '<private>' with priority 10",
    ],
  ]),
);
const typed = `APNs returned 200 at 2024-05-06 09:00 UTC, apns-id: ${APNS_ID}`;

describe("the MDM server's push, APNs's answer with its apns-id typed in the thread, and the device's log", () => {
  it("no advice to look the apns-id up in the Console, nor to check the app's token", async () => {
    const r = await diagnose(server, device, '--topic', TOPIC, '--paste', typed, '--answer', `q.case.device=${UDID_A}`);
    expect(note(r, LOOKUP)).toBeUndefined();
    expect(note(r, 'apns.note.accepted_token_may_be_stale')).toBeUndefined();
  });

  it('said to be an MDM case: still none', async () => {
    const r = await diagnose(server, device, '--topic', TOPIC, '--paste', typed, '--answer', `q.case.device=${UDID_A}`, '--answer', 'q.case.domain=mdm');
    expect(note(r, LOOKUP)).toBeUndefined();
  });
});

describe('the same case read as a whole: an MDM push case, not an app one', () => {
  it("the typed answer is APNs's answer to the MDM server's push, which the device never answered; no app cause is judged on it", async () => {
    const r = await diagnose(server, device, '--topic', TOPIC, '--paste', typed, '--answer', `q.case.device=${UDID_A}`);
    expect(r.domains).toEqual(['mdm']);
    expect(facts(r, 'mdm.apns_response').map((f) => [f.value, f.at])).toEqual([['200', '2024-05-06T09:00:00.000Z']]);
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toEqual([false]);
    expect(r.causes.filter((c: { id: string }) => c.id.startsWith('apns.'))).toEqual([]);
  });
});

describe("an app provider's log beside it: the app's push gets the advice", () => {
  it("the provider's accepted push, with its topic, is looked up by its own apns-id", async () => {
    const provider = file(
      'push-worker.log',
      '2024-05-06T09:30:00.104Z INFO  push-worker APNs accepted push apns-id=6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f status=200 topic=com.example.chat host=api.push.apple.com\n',
    );
    const r = await diagnose(server, device, provider, '--answer', `q.case.device=${UDID_A}`);
    expect(note(r, LOOKUP)?.text).toContain('6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f');
  });
});
