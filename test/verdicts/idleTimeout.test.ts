import { describe, expect, it } from 'vitest';
import { checkedAppCase, diagnose, facts, file, note, TOKEN } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer?" — 400 IdleTimeout: APNs closed a connection the provider had
 * left idle, and the push on it was not taken. The fix is the provider's (open a new connection and send
 * again), like 429 TooManyRequests: no failed push for Apple, however well every other cause was checked.
 * Every value below is made up.
 */

describe('APNs answers 400 IdleTimeout, every other cause checked', () => {
  it('is not a failed push for Apple: the note says to reconnect and send again', async () => {
    const log = file(
      'push-worker.log',
      `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=400 body={"reason":"IdleTimeout"}\n`,
    );
    const r = await diagnose(log, ...checkedAppCase());
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
    expect(facts(r, 'case.failed_push')).toEqual([]);
    expect(note(r, 'apns.note.transient_answer')?.text).toMatch(/IdleTimeout that APNs closed a connection/);
  });
});
