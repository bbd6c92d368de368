import { describe, expect, it } from 'vitest';
import { cause, checkedAppCase, diagnose, file, questionIds, TOKEN } from './evidence.js';

/**
 * Troubleshooting step (TN2265, "Handling Malformed Notifications"): "what did APNs say was wrong with the
 * request?" APNs checks the request itself (its path, method and apns-* headers) before it looks at the
 * device, and names what it refused in the JSON body of a 400. Such a refusal is the provider's to fix, never
 * one for Apple; a 400 whose body the log cut off says only that APNs refused, so its reason is asked.
 * Every value below is made up.
 */

const refused = (answer: string) =>
  file(
    'push-worker.log',
    `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c ${answer}\n`,
  );

describe('APNs refuses the request itself (a header, the path or the method)', () => {
  for (const [status, reason] of [
    ['400', 'BadExpirationDate'],
    ['400', 'BadPriority'],
    ['400', 'InvalidPushType'],
    ['400', 'MissingDeviceToken'],
    ['404', 'BadPath'],
  ] as const) {
    it(`${status} ${reason}: the malformed request is found, and the case does not go to Apple`, async () => {
      const r = await diagnose(refused(`:status=${status} body={"reason":"${reason}"}`), ...checkedAppCase());
      expect(cause(r, 'apns.malformed_request')?.status).toBe('confirmed');
      expect(r.escalation).toBeNull();
      expect(r.headline).not.toMatch(/one for Apple/);
      expect(cause(r, 'apns.malformed_request')?.nextSteps[0]).toContain(reason);
    });
  }

  it('a reason about the token or the topic is not a malformed request: that cause is ruled out and the topic found', async () => {
    const r = await diagnose(refused(':status=400 body={"reason":"TopicDisallowed"}'), ...checkedAppCase());
    expect(cause(r, 'apns.malformed_request')?.status).toBe('ruled_out');
    expect(cause(r, 'apns.wrong_topic')?.status).toBe('confirmed');
  });

  it('pushes APNs accepted rule it out, and the accepted push still goes to Apple as before', async () => {
    const r = await diagnose(refused('status=200'), ...checkedAppCase());
    expect(cause(r, 'apns.malformed_request')?.status).toBe('ruled_out');
    expect(r.headline).toMatch(/one for Apple/);
  });
});

describe('a 400 whose JSON body the log cut off or garbled', () => {
  for (const body of ['body={"reas', 'body={"reason":"Bad\\ufffdTopic"}', '']) {
    it(`(${body || 'status only'}) stays open with the question of its reason, and does not go to Apple`, async () => {
      const r = await diagnose(refused(`:status=400 ${body}`), ...checkedAppCase());
      expect(cause(r, 'apns.malformed_request')?.status).toBe('open');
      expect(questionIds(r)[0]).toBe('q.apns.refusal_reason');
      expect(r.escalation).toBeNull();
    });
  }

  it('answered with a reason for a malformed request: confirmed', async () => {
    const r = await diagnose(refused(':status=400 body={"reas'), ...checkedAppCase(), '--answer', 'q.apns.refusal_reason=BadExpirationDate');
    expect(cause(r, 'apns.malformed_request')?.status).toBe('confirmed');
  });

  it('answered with another reason: still not filed with Apple, the refusal stays unexplained', async () => {
    const r = await diagnose(refused(':status=400 body={"reas'), ...checkedAppCase(), '--answer', 'q.apns.refusal_reason=BadDeviceToken');
    expect(cause(r, 'apns.malformed_request')?.status).not.toBe('confirmed');
    expect(r.escalation).toBeNull();
  });
});
