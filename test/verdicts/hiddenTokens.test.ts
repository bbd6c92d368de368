import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, note, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the pushes to this device's token?", asked of a provider log
 * that hides every device token whole (`token=****`, `device_token=[REDACTED]`, `<redacted>`, `xxxxxxxx`), as
 * logs often do before they leave the team. Nothing of the token is left to say whose answer is whose. When
 * the log shows it may hold several devices' answers (other tokens or device ids, or answers that differ), none
 * of them decides a cause about the case's device, and the report says to export the log with tokens unmasked
 * or to search it for the case's token. A log whose answers all agree, and name no other device, is read as
 * one device's: still usable, with a word of caution. Every value below is made up.
 */

const CASE_TOKEN = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const line = (t: string, token: string, answer: string, extra = '') =>
  `2026-11-20T10:${t}.004Z ${answer === 'status=200' ? 'INFO ' : 'WARN '} apns: push apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b${t.replace(':', '')}c4d ${token}${extra} apns-topic=com.example.demo ${answer}`;
const log = (...lines: string[]) =>
  file('provider.log', `${['2026-11-20T10:00:00.120Z INFO  apns: connecting to api.push.apple.com:443', ...lines].join('\n')}\n`);
const GONE = 'status=410 reason=Unregistered';
const OK = 'status=200';
const installed = ['--answer', 'q.apns.app_installed=yes'];

/** Neither "app removed" nor "stale token" is decided, no push is filed, and the note says what to do. */
function decidesNothing(r: Awaited<ReturnType<typeof diagnose>>) {
  expect(cause(r, 'apns.app_removed')?.status).not.toMatch(/^(likely|confirmed)$/);
  expect(cause(r, 'apns.stale_token')?.status).not.toMatch(/^(likely|confirmed)$/);
  expect(facts(r, 'case.failed_push')).toEqual([]);
  expect(r.escalation).toBeNull();
  expect(note(r, 'apns.note.hidden_tokens_several')?.text).toMatch(
    /Export the log again with device tokens unmasked, or\s+search the provider's own log for this device's token/,
  );
  expect(note(r, 'apns.note.hidden_tokens')).toBeUndefined();
}

describe('a provider log that hides every token, and may hold several devices', () => {
  it('answers that differ (200, 410 Unregistered, 400 BadDeviceToken): the 410 is not "Likely: app removed"', async () => {
    const r = await diagnose(
      log(line('01:00', 'token=****', OK), line('01:01', 'token=****', GONE), line('01:02', 'device_token=[REDACTED]', 'status=400 reason=BadDeviceToken')),
    );
    expect(facts(r, 'apns.response').map((f) => f.attrs.token_hidden)).toEqual(['****', '****', '[REDACTED]']);
    decidesNothing(r);
    expect(questionIds(r)[0]).toBe('q.case.device');
  });

  it('the app still installed: the 410 is not "Found: stale token" either', async () => {
    const r = await diagnose(log(line('01:00', 'token=<redacted>', OK), line('01:01', 'token=<redacted>', GONE)), ...installed);
    decidesNothing(r);
  });

  it("naming the case's token does not tie a hidden token's answer to it", async () => {
    const r = await diagnose(
      log(line('01:00', 'token=xxxxxxxx', OK), line('01:01', 'token=xxxxxxxx', GONE)),
      ...installed,
      '--answer',
      `q.case.device=${CASE_TOKEN}`,
    );
    decidesNothing(r);
  });

  it('the same answer for two device ids: two devices, and the case is asked which; once named, neither decides', async () => {
    const twoIds = () => log(line('01:00', 'token=****', GONE, ' device_id=a1b2c3d4-0001'), line('01:01', 'token=****', GONE, ' device_id=a1b2c3d4-0002'));
    const asked = await diagnose(twoIds(), ...installed);
    expect(facts(asked, 'case.device_unresolved').map((f) => f.value)).toEqual(['token **** (device a1b2c3d4-0001), token **** (device a1b2c3d4-0002)']);
    expect(questionIds(asked)[0]).toBe('q.case.device');
    decidesNothing(asked);
    decidesNothing(await diagnose(twoIds(), ...installed, '--answer', `q.case.device=${CASE_TOKEN}`));
  });

  it("beside another device's whole token: the hidden 410 may be any device's", async () => {
    const other = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
    const r = await diagnose(log(line('01:00', `token=${other}`, OK), line('01:01', 'token=****', GONE)), ...installed);
    decidesNothing(r);
  });
});

describe('a provider log that hides every token, its answers all alike', () => {
  const oneDevice = () => log(line('01:00', 'token=****', GONE), line('05:00', 'token=****', GONE));

  it('is read as one device: the app removed is likely, with a word to check the log is this device’s', async () => {
    const r = await diagnose(oneDevice());
    expect(facts(r, 'case.device_unresolved')).toEqual([]);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(note(r, 'apns.note.hidden_tokens')?.text).toMatch(/read as this device's\. If the log is not this device's alone, search/);
    expect(note(r, 'apns.note.hidden_tokens_several')).toBeUndefined();
  });

  it("named by the case's token: still this device's answers", async () => {
    const r = await diagnose(oneDevice(), '--answer', `q.case.device=${CASE_TOKEN}`);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(facts(r, 'case.failed_push').map((f) => f.value)).toEqual(['410 Unregistered', '410 Unregistered']);
  });

  it('a log whose tokens are whole says nothing of hidden tokens', async () => {
    const r = await diagnose(log(line('01:00', `token=${CASE_TOKEN}`, GONE)));
    expect(facts(r, 'apns.token_hidden')).toEqual([]);
    expect(note(r, 'apns.note.hidden_tokens')).toBeUndefined();
  });

  it("a provider's own JWT shown hidden is not a device token", async () => {
    const r = await diagnose(log(line('01:00', `token=${CASE_TOKEN}`, GONE, ' provider token=****')));
    expect(facts(r, 'apns.response').map((f) => f.attrs.token_hidden)).toEqual([undefined]);
  });
});
