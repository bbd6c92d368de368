import { describe, expect, it } from 'vitest';
import { cause, checkedAppCase, diagnose, file, questionIds, TOKEN } from './evidence.js';

/**
 * Troubleshooting step ("what did APNs answer?", its table of reasons): APNs answered a push 410 and the
 * provider's log kept the status without its JSON body. APNs gives 410 only for a token that is no longer
 * valid for the topic: Unregistered (the app removed, or its token replaced) or ExpiredToken. So the 410
 * never points at a malformed request, and the team's word that the token is the latest one does not clear
 * the token: the case asks which reason APNs gave, and nothing goes to Apple. Every value below is made up.
 */

const provider = (...lines: string[]) => file('push-worker.log', `${lines.join('\n')}\n`);
const at = (t: string, answer: string) =>
  `2026-11-20T${t}Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c ${answer}`;
const bare410 = () => provider(at('10:01:00.004', ':status=410'));
const told = (reason: string) => ['--answer', `q.apns.refusal_reason=${reason}`];

describe('a 410 whose reason the log does not show, every other cause checked (token "the latest", app installed)', () => {
  it('the token stays open against the "latest token" answer, the malformed request is ruled out, the reason is asked', async () => {
    const r = await diagnose(bare410(), ...checkedAppCase());
    expect(cause(r, 'apns.stale_token')?.status).toBe('open');
    expect(cause(r, 'apns.malformed_request')?.status).toBe('ruled_out');
    expect(questionIds(r)).toContain('q.apns.refusal_reason');
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
  });

  it('told ExpiredToken: the stale token is found', async () => {
    const r = await diagnose(bare410(), ...checkedAppCase(), ...told('ExpiredToken'));
    expect(cause(r, 'apns.stale_token')?.status).toBe('confirmed');
  });

  it('told Unregistered with the app installed: a newer token the provider does not use', async () => {
    const r = await diagnose(bare410(), ...checkedAppCase(), ...told('Unregistered'));
    expect(cause(r, 'apns.stale_token')?.status).toBe('confirmed');
    expect(cause(r, 'apns.app_removed')?.status).toBe('ruled_out');
  });
});

describe('what rules the token out, and what keeps the request in question', () => {
  it('no 410 at all (APNs accepted the push): the "latest token" answer rules the stale token out, as before', async () => {
    const r = await diagnose(provider(at('10:01:00.004', 'status=200')), ...checkedAppCase());
    expect(cause(r, 'apns.stale_token')?.status).toBe('ruled_out');
  });

  it('a bare 400 beside the bare 410: the request may still be malformed', async () => {
    const r = await diagnose(provider(at('10:01:00.004', ':status=410'), at('10:02:00.004', ':status=400')), ...checkedAppCase());
    expect(cause(r, 'apns.malformed_request')?.status).toBe('open');
    expect(r.escalation).toBeNull();
  });
});
