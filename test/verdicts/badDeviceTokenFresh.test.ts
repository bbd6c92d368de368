import { describe, expect, it } from 'vitest';
import { cause, checkedAppCase, diagnose, file, TOKEN } from './evidence.js';

/**
 * Troubleshooting step (TN2265, "Handling Malformed Notifications": the most common problem is an invalid
 * device token): APNs answered 400 BadDeviceToken, and the team says the token is the one the app sent at its
 * latest launch, from a production build, sent to the production host. APNs's answer outweighs that word: the
 * token the provider sends is not a token of that environment (cut, re-encoded, or another build's on its
 * way to the provider). The case stays with the token, never goes to Apple. Every value below is made up.
 */

const log = (answer: string) =>
  file('push-worker.log', `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo ${answer}\n`);

describe('400 BadDeviceToken for a token the team calls the latest, in the host’s environment', () => {
  it('the stale token stays likely, and the case does not go to Apple', async () => {
    const r = await diagnose(log(':status=400 body={"reason":"BadDeviceToken"}'), ...checkedAppCase());
    expect(cause(r, 'apns.stale_token')?.status).toBe('likely');
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
  });

  it('a push APNs accepted to the same token later makes the refusal history: the token is current, as the team said', async () => {
    const r = await diagnose(
      file(
        'push-worker.log',
        [
          `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=400 body={"reason":"BadDeviceToken"}`,
          `2026-11-20T10:30:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${TOKEN} apns-topic=com.example.demo status=200`,
          '',
        ].join('\n'),
      ),
      ...checkedAppCase(),
    );
    expect(cause(r, 'apns.stale_token')?.status).toBe('ruled_out');
  });
});
