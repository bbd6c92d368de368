import { describe, expect, it } from 'vitest';
import { cause, checkedAppCase, diagnose, file, heldRules, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "APNs refused the push, and the log kept only its HTTP status: which cause does the
 * status itself name?" Apple gives 413 for one reason only (PayloadTooLarge), and every 403 reason is about the
 * provider's certificate or token; neither is ever a malformed request (400, 404, 405). A refused push is
 * never one for Apple, whatever sample payload is attached. Every value below is made up; two devices share
 * the log, with one-second times.
 */

const FIRST = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const OTHER = '0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f5f1c0a9d2b7e4c3f8a6d1e';

/** A provider log in node-apn's shape: the failing device's refusal without its body, the other device's pushes accepted. */
const refusedLog = (status: number) =>
  file(
    'push-worker.log',
    [
      `2026-11-20T10:00:58Z info: apn sent { device: '${OTHER}', status: '200' }`,
      `2026-11-20T10:01:00Z error: apn failed { device: '${FIRST}', status: '${status}' }`,
      `2026-11-20T10:01:01Z info: apn sent { device: '${OTHER}', status: '200' }`,
      '',
    ].join('\n'),
  );
const forFirst = ['--answer', `q.case.device=${FIRST}`];

describe('a bare 413: APNs says the payload is too large', () => {
  it('confirms the payload cause although the attached sample payload is small, and rules the malformed request out', async () => {
    const r = await diagnose(refusedLog(413), ...forFirst, ...checkedAppCase());
    const payload = cause(r, 'apns.invalid_payload');
    expect(payload?.status).toBe('confirmed');
    expect(heldRules(payload)).toContain('apns.invalid_payload.status_413');
    expect(cause(r, 'apns.malformed_request')?.status).toBe('ruled_out');
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
    // The status names its reason: nothing left to ask about it.
    expect(questionIds(r)).not.toContain('q.apns.refusal_reason');
  });

  it("rules nothing in when the case's device got only 200s: the other device's 413 is not its own", async () => {
    const r = await diagnose(refusedLog(413), '--answer', `q.case.device=${OTHER}`, ...checkedAppCase());
    expect(heldRules(cause(r, 'apns.invalid_payload'))).not.toContain('apns.invalid_payload.status_413');
    expect(cause(r, 'apns.invalid_payload')?.status).toBe('ruled_out');
  });
});

describe('a bare 403: certificate or token trouble, never a malformed request', () => {
  it('rules the malformed request out, keeps the provider token and the certificate environment open, asks for the reason', async () => {
    const r = await diagnose(refusedLog(403), ...forFirst, ...checkedAppCase());
    expect(cause(r, 'apns.malformed_request')?.status).toBe('ruled_out');
    expect(cause(r, 'apns.provider_token')?.status).toBe('open');
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('open');
    expect(questionIds(r)[0]).toBe('q.apns.refusal_reason');
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
  });

  it('told BadCertificateEnvironment: the environments are mixed up', async () => {
    const r = await diagnose(refusedLog(403), ...forFirst, ...checkedAppCase(), '--answer', 'q.apns.refusal_reason=BadCertificateEnvironment');
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('confirmed');
  });

  it('told InvalidProviderToken: the token is the cause, and the environments are ruled out again', async () => {
    const r = await diagnose(refusedLog(403), ...forFirst, ...checkedAppCase(), '--answer', 'q.apns.refusal_reason=InvalidProviderToken');
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('ruled_out');
  });
});

describe('a bare 400 still may be a malformed request', () => {
  it('keeps the malformed request open and asks for the reason', async () => {
    const r = await diagnose(refusedLog(400), ...forFirst, ...checkedAppCase());
    expect(cause(r, 'apns.malformed_request')?.status).toBe('open');
    expect(questionIds(r)).toContain('q.apns.refusal_reason');
    expect(r.escalation).toBeNull();
  });
});
