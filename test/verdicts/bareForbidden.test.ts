import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "did APNs accept the provider's credentials?", when the provider's log kept a 403
 * without the JSON body naming its reason. A 403 is APNs refusing the provider itself as often as not
 * (InvalidProviderToken, ExpiredProviderToken, MissingProviderToken, BadCertificate, Forbidden …), so the
 * bare status neither clears the provider's token or identity nor blames them: the case asks for the reason.
 * Every value below is made up.
 */

const TOKEN = '5f1c0a9d2b7e4c3f8a6d1e0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f';
const refused = (status: number) =>
  file('push-worker.log', `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=${status}\n`);
const told = (reason: string) => ['--answer', `q.apns.refusal_reason=${reason}`];

describe('a 403 whose reason the log does not show', () => {
  it('keeps the provider token and the provider identity open, and asks for the reason', async () => {
    const r = await diagnose(refused(403));
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['403']);
    expect(cause(r, 'apns.provider_token')?.status).toBe('open');
    expect(cause(r, 'apns.provider_identity_access')?.status).toBe('open');
    expect(questionIds(r)).toContain('q.apns.refusal_reason');
    expect(r.escalation).toBeNull();
  });

  it('told as a reason that is not about the provider (BadDeviceToken): the provider token is ruled out', async () => {
    const r = await diagnose(refused(403), ...told('BadDeviceToken'));
    expect(cause(r, 'apns.provider_token')?.status).toBe('ruled_out');
    expect(cause(r, 'apns.provider_identity_access')?.status).toBe('ruled_out');
  });

  it('told as ExpiredProviderToken: the provider token is confirmed', async () => {
    const r = await diagnose(refused(403), ...told('ExpiredProviderToken'));
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
  });

  it('told as MissingProviderToken (no credentials presented): the provider identity stays open', async () => {
    const r = await diagnose(refused(403), ...told('MissingProviderToken'));
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
    expect(cause(r, 'apns.provider_identity_access')?.status).toBe('open');
  });

  it('a bare 410 says nothing about the provider credentials: APNs answered, so they were accepted', async () => {
    const r = await diagnose(refused(410));
    expect(cause(r, 'apns.provider_token')?.status).toBe('ruled_out');
    expect(cause(r, 'apns.provider_identity_access')?.status).toBe('ruled_out');
  });
});
