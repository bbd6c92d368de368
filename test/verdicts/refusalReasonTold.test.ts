import { describe, expect, it } from 'vitest';
import { cause, checkedAppCase, diagnose, file, questionIds, TOKEN } from './evidence.js';

/**
 * Troubleshooting step: "what reason did APNs give with its refusal?", when the provider's log kept the
 * HTTP status (403, 410, 413) but cut off the JSON body naming the reason. A refusal is never one for Apple,
 * whatever else was checked: the case asks for its reason (but for a 413, which is PayloadTooLarge alone), and the reason told is read as APNs's answer by
 * the cause it names. Every value below is made up.
 */

const cut = (status: number) =>
  file('push-worker.log', `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=${status} body={"reas\n`);

describe('a refusal whose reason the log cut off, every other cause checked', () => {
  for (const status of [403, 410]) {
    it(`${status}: not one for Apple; the case asks for the reason`, async () => {
      const r = await diagnose(cut(status), ...checkedAppCase());
      expect(r.escalation).toBeNull();
      expect(r.headline).not.toMatch(/one for Apple/);
      expect(questionIds(r)[0]).toBe('q.apns.refusal_reason');
    });
  }

  // APNs gives 413 for PayloadTooLarge alone: the status is its reason.
  it('413: not one for Apple; the payload is the cause without asking', async () => {
    const r = await diagnose(cut(413), ...checkedAppCase());
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
    expect(cause(r, 'apns.invalid_payload')?.status).toBe('confirmed');
    expect(questionIds(r)).not.toContain('q.apns.refusal_reason');
  });
});

describe('the reason told is read as the answer APNs gave', () => {
  const told = (reason: string) => ['--answer', `q.apns.refusal_reason=${reason}`];

  it('403 told as InvalidProviderToken: the provider token is refused', async () => {
    const r = await diagnose(cut(403), ...checkedAppCase(), ...told('InvalidProviderToken'));
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
    expect(cause(r, 'apns.malformed_request')?.status).toBe('ruled_out');
  });

  it('410 told as Unregistered, the app still installed: the provider holds a token that is no longer the app’s', async () => {
    const r = await diagnose(cut(410), ...checkedAppCase(), ...told('Unregistered'));
    expect(cause(r, 'apns.stale_token')?.status).toBe('confirmed');
  });

  it('413 told as PayloadTooLarge: the payload', async () => {
    const r = await diagnose(cut(413), ...checkedAppCase(), ...told('PayloadTooLarge'));
    expect(cause(r, 'apns.invalid_payload')?.status).toBe('confirmed');
  });

  it('a word APNs never answers is not taken', async () => {
    const r = await diagnose(cut(403), ...checkedAppCase(), ...told('NoIdea'), '--format', 'json');
    expect(JSON.stringify(r.problems)).toMatch(/q\.apns\.refusal_reason/);
    expect(r.escalation).toBeNull();
  });
});
