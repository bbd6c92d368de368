import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer?", from a provider log that writes the HTTP status before the
 * JSON body. The status is kept as the log gave it, even where Apple's table pairs the reason with another
 * (PayloadTooLarge is documented as 413): the answer carries both, and the reason decides the cause. Every
 * value below is made up.
 */

const TOKEN = '5f1c0a9d2b7e4c3f8a6d1e0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f';
const failed = (rest: string) =>
  file('push-worker.log', `2026-11-20T10:01:00.004Z WARN  apns: push failed: ${rest} token=${TOKEN} apns-topic=com.example.demo\n`);

describe('a status and a JSON reason on one line', () => {
  it('`400 {"reason":"PayloadTooLarge"}` keeps status 400 beside the reason, and the payload is the cause', async () => {
    const r = await diagnose(failed('400 {"reason":"PayloadTooLarge"}'));
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.status, f.attrs.reason])).toEqual([['PayloadTooLarge', '400', 'PayloadTooLarge']]);
    expect(cause(r, 'apns.invalid_payload')?.status).toBe('confirmed');
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
  });

  it('`400 PayloadTooLarge` (no JSON) alike: status 400 beside the reason, the payload the cause', async () => {
    const r = await diagnose(failed('400 PayloadTooLarge'));
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.status])).toEqual([['PayloadTooLarge', '400']]);
    expect(cause(r, 'apns.invalid_payload')?.status).toBe('confirmed');
    expect(r.escalation).toBeNull();
  });

  it('`413 {"reason":"PayloadTooLarge"}` as before', async () => {
    const r = await diagnose(failed('413 {"reason":"PayloadTooLarge"}'));
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.status])).toEqual([['PayloadTooLarge', '413']]);
    expect(cause(r, 'apns.invalid_payload')?.status).toBe('confirmed');
  });

  it('a JSON reason with no status before it takes the status Apple documents for it', async () => {
    const r = await diagnose(failed('{"reason":"PayloadTooLarge"}'));
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.status])).toEqual([['PayloadTooLarge', '413']]);
  });
});
