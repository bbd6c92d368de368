import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file } from './evidence.js';

/**
 * Troubleshooting step: "what reason did APNs give with its refusal?", when the provider's log cut off the JSON
 * body of two refusals of different statuses (a 403 and a 410) and the engineer found the reason of one. APNs
 * gives each reason with one status: Unregistered is a 410's, so it explains the 410 and says nothing of the
 * 403, which may still be the provider's token or identity refused. Every value below is made up.
 */

const TOKEN = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const refused = (...statuses: number[]) =>
  file(
    'push-worker.log',
    statuses.map((s, i) => `2026-11-20T10:0${i}:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=${s}\n`).join(''),
  );
const told = (reason: string) => ['--answer', `q.apns.refusal_reason=${reason}`];

describe('a bare 403 and a bare 410, and the reason told is one of them', () => {
  it('told Unregistered: the 410 is explained, the 403 is not; the provider token and identity stay open', async () => {
    const r = await diagnose(refused(403, 410), ...told('Unregistered'));
    expect(facts(r, 'apns.refusal_unexplained').map((f) => f.value)).toEqual(['403']);
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.status])).toEqual([
      ['403', '403'],
      ['410', '410'],
      ['Unregistered', '410'],
    ]);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(cause(r, 'apns.provider_token')?.status).toBe('open');
    expect(cause(r, 'apns.provider_identity_access')?.status).toBe('open');
  });

  it('told InvalidProviderToken: the 403 is explained and the provider token confirmed; the 410 stays a bare refusal', async () => {
    const r = await diagnose(refused(403, 410), ...told('InvalidProviderToken'));
    expect(facts(r, 'apns.refusal_unexplained').map((f) => f.value)).toEqual(['410']);
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
  });

  it('a bare 400 beside a 410 told Unregistered: the 400 may still be a malformed request', async () => {
    const r = await diagnose(refused(400, 410), ...told('Unregistered'));
    expect(cause(r, 'apns.malformed_request')?.status).toBe('open');
  });

  it('one bare 403 told BadDeviceToken (a 400 reason): taken as said, as before', async () => {
    const r = await diagnose(refused(403), ...told('BadDeviceToken'));
    expect(facts(r, 'apns.refusal_unexplained')).toEqual([]);
    expect(cause(r, 'apns.provider_token')?.status).toBe('ruled_out');
  });
});
