import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_CHECKED_ANSWERS, cause, diagnose, facts, file, note, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "APNs answered 429: is it the provider's pace or its token?" A 429 is either
 * TooManyRequests (too many pushes to one device token too quickly) or TooManyProviderTokenUpdates (the
 * provider renewed its JWT too often). When the log kept the status without the JSON body, the bare 429
 * neither clears the provider's token nor blames it: the case asks for the reason. Either way the fix is the
 * provider's, so a 429 is never a failed push to file with Apple. Every value below is made up.
 */

const TOKEN = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));
/** An accepted push at 10:00, then one APNs answers 429 at 10:01 (the body left out of the log). */
const provider = (body = '') =>
  file(
    'push-worker.log',
    `${[
      `2026-11-20T10:00:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${TOKEN} apns-topic=com.example.demo status=200`,
      `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=429${body}`,
    ].join('\n')}\n`,
  );
const told = (reason: string) => ['--answer', `q.apns.refusal_reason=${reason}`];

describe('a 429 whose reason the log does not show', () => {
  it('keeps the provider token open and asks for the reason; the provider identity is not in doubt', async () => {
    const r = await diagnose(provider());
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['200', '429']);
    expect(cause(r, 'apns.provider_token')?.status).toBe('open');
    // Either 429 comes only to a provider APNs authenticated.
    expect(cause(r, 'apns.provider_identity_access')?.status).toBe('ruled_out');
    expect(questionIds(r)).toContain('q.apns.refusal_reason');
  });

  it('every other app cause checked: not "one for Apple" while the 429 may be the token renewed too often', async () => {
    const r = await diagnose(provider(), entitlements, ...APP_CHECKED_ANSWERS);
    expect(r.headline).not.toMatch(/one for Apple/);
    expect(r.escalation).toBeNull();
    expect(cause(r, 'apns.provider_token')?.status).toBe('open');
    expect(r.headline).toMatch(/reason/);
  });

  it('told TooManyProviderTokenUpdates: the provider token is confirmed', async () => {
    const r = await diagnose(provider(), entitlements, ...APP_CHECKED_ANSWERS, ...told('TooManyProviderTokenUpdates'));
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
    expect(r.escalation).toBeNull();
  });

  it('told TooManyRequests: the token is cleared, and the 429 is not filed as a push that failed (only the 200 is)', async () => {
    const r = await diagnose(provider(), entitlements, ...APP_CHECKED_ANSWERS, ...told('TooManyRequests'));
    expect(cause(r, 'apns.provider_token')?.status).toBe('ruled_out');
    expect(facts(r, 'case.failed_push').map((f) => f.value)).toEqual(['200']);
    expect(r.escalation?.feedbackDraft).toMatch(/the provider sent a push to this device; APNs answered 200\. The notification never arrived/);
  });

  it('logged with its body (429 TooManyRequests): the token is cleared and nothing is asked about it', async () => {
    const r = await diagnose(provider(' {"reason":"TooManyRequests"}'), entitlements, ...APP_CHECKED_ANSWERS);
    expect(cause(r, 'apns.provider_token')?.status).toBe('ruled_out');
    expect(questionIds(r)).not.toContain('q.apns.refusal_reason');
    expect(facts(r, 'case.failed_push').map((f) => f.value)).toEqual(['200']);
    // The note on transient answers names the transient one, not the accepted push beside it.
    expect(note(r, 'apns.note.transient_answer')?.text).toMatch(/^APNs answered some pushes with a transient error \(TooManyRequests\)\./);
  });

  it('told TooManyRequests: the note names it as the transient answer, not the 200 beside it', async () => {
    const r = await diagnose(provider(), ...told('TooManyRequests'));
    expect(note(r, 'apns.note.transient_answer')?.text).toMatch(/^APNs answered some pushes with a transient error \(TooManyRequests\)\./);
  });
});
