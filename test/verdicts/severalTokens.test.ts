import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the push to this device's token?" An app's provider log
 * holds the pushes to every installed copy of the app. APNs telling the provider that one token is no
 * longer registered says that copy was removed; it says nothing of the device the engineer is looking
 * at, until the case names that device's token.
 */

const KEPT = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const GONE = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';

const provider = (lines: string[]) => file('provider.log', `${lines.join('\n')}\n`);
const accepted = (t: string, token: string) =>
  `${t} INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${token} apns-topic=com.example.demo status=200`;
const unregistered = (t: string, token: string) =>
  `${t} WARN  apns: apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=${token} apns-topic=com.example.demo status=410 reason=Unregistered`;

const twoTokens = () => provider([accepted('2026-11-20T10:01:00.004Z', KEPT), unregistered('2026-11-20T10:01:01.110Z', GONE)]);

describe("one token of several in a provider's log is no longer registered", () => {
  it('each answer names the token it was for', async () => {
    const r = await diagnose(twoTokens());
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.token])).toEqual([
      ['200', KEPT],
      ['Unregistered', GONE],
    ]);
  });

  it('with no word on which device the case is about, asks instead of calling the app removed', async () => {
    const r = await diagnose(twoTokens());
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
    expect(questionIds(r)).toContain('q.case.device');
  });

  it("named as the unregistered token's device: the app was probably removed from it", async () => {
    const r = await diagnose(twoTokens(), '--answer', `q.case.device=${GONE}`);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(questionIds(r)).not.toContain('q.case.device');
  });

  it("named as the other token's device: the unregistered token is not its", async () => {
    const r = await diagnose(twoTokens(), '--answer', `q.case.device=${KEPT}`);
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
  });

  it('a log of one token only: nothing to ask, the app was probably removed', async () => {
    const r = await diagnose(provider([unregistered('2026-11-20T10:01:01.110Z', GONE)]));
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(questionIds(r)).not.toContain('q.case.device');
  });
});

describe("one token's push accepted, another's refused as BadDeviceToken", () => {
  const badToken = (t: string, token: string) =>
    `${t} WARN  apns: apns-id=2b4d6f8a-1c3e-4a5b-9d7f-0e2c4a6b8d1f token=${token} apns-topic=com.example.demo status=400 reason=BadDeviceToken`;
  const mixed = () => provider([accepted('2026-11-20T10:01:00.004Z', KEPT), badToken('2026-11-20T10:01:01.110Z', GONE)]);

  it("with no word on which device the case is about, the other token's 200 does not rule out sandbox and production mixed up", async () => {
    const r = await diagnose(mixed());
    expect(cause(r, 'apns.environment_mismatch')?.status).not.toBe('ruled_out');
    expect(cause(r, 'apns.wrong_topic')?.status).not.toBe('ruled_out');
    expect(questionIds(r)[0]).toBe('q.case.device');
  });

  it("named as the refused token's device: sandbox and production mixed up is likely", async () => {
    const r = await diagnose(mixed(), '--answer', `q.case.device=${GONE}`);
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('likely');
  });

  it("named as the accepted token's device: its own 200 rules the mix-up out", async () => {
    const r = await diagnose(mixed(), '--answer', `q.case.device=${KEPT}`);
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('ruled_out');
  });
});
