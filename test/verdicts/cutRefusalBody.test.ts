import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "what reason did APNs give?", read from a provider log that cuts long lines (or
 * its JSON bodies) off. What is left of a cut reason is not a reason: `{"reason":"BadCertificate` may be
 * the start of BadCertificateEnvironment, and `BadDeviceTo…` is no word APNs sends. The answer is APNs's
 * refusal with its status, and its reason is asked. Every value below is made up.
 */

const TOKEN = '5f1c0a9d2b7e4c3f8a6d1e0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f';
const line = (rest: string) => file('push-worker.log', `2026-11-20T10:01:00.004Z WARN  apns: push failed ${rest}\n`);

describe('a refusal whose JSON body the log cut off inside the reason', () => {
  it('`{"reason":"BadCertificate` (cut from BadCertificateEnvironment) is not read as BadCertificate', async () => {
    const r = await diagnose(line(`token=${TOKEN} :status=400 body={"reason":"BadCertificate`));
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.status])).toEqual([['400', '400']]);
    expect(cause(r, 'apns.malformed_request')?.status).toBe('open');
    expect(questionIds(r)).toContain('q.apns.refusal_reason');
  });

  it('`400 {"reason":"BadDeviceTo…` is APNs refusing with 400, its reason unknown (not a line of no push at all)', async () => {
    const r = await diagnose(line('400 {"reason":"BadDeviceTo…'));
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['400']);
    expect(r.domains).toEqual(['apns']);
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('open');
    expect(questionIds(r)).toContain('q.apns.refusal_reason');
  });

  it('`400 {"reas` alike', async () => {
    const r = await diagnose(line('400 {"reas'));
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['400']);
  });

  it('a whole body is read as before, even without its closing brace', async () => {
    const r = await diagnose(line('403 {"reason":"BadCertificateEnvironment"}'));
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['BadCertificateEnvironment']);
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('confirmed');
    const open = await diagnose(line('400 {"reason":"BadDeviceToken"'));
    expect(facts(open, 'apns.response').map((f) => f.value)).toEqual(['BadDeviceToken']);
  });
});
