import { describe, expect, it } from 'vitest';
import { APP_CHECKED_ANSWERS, cause, diagnose, facts, file, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the pushes to this device's token?", asked of a provider log
 * that masks tokens in their middle (`token=9a4c2e7f…7d9e0f`), as many do before a log leaves the team, and
 * pushes for two apps. Once the case names its device's token, an answer whose masked token cannot be that
 * token (its ends differ) is another device's: its BadDeviceToken is not the case's, and is not among the
 * case's failed pushes. Every value below is made up.
 */

const CASE_TOKEN = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const log = () =>
  file(
    'provider.log',
    `${[
      '2026-11-20T10:00:00.120Z INFO  apns: connecting to api.push.apple.com:443',
      '2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=9a4c2e7f…7d9e0f apns-topic=com.example.demo status=200',
      '2026-11-20T10:01:01.110Z WARN  apns: push failed apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=1b3d5c6e…a4c2e7f apns-topic=com.example.other status=400 reason=BadDeviceToken',
    ].join('\n')}\n`,
  );

describe('a provider log with masked tokens, the case named by its full token', () => {
  it("another token's BadDeviceToken is set aside, and is not one of the case's failed pushes", async () => {
    const r = await diagnose(log(), '--answer', `q.case.device=${CASE_TOKEN}`);
    const answers = facts(r, 'apns.response');
    expect(answers.filter((f) => !f.setAside).map((f) => f.value)).toEqual(['200']);
    expect(answers.filter((f) => f.setAside).map((f) => [f.value, f.attrs.token_masked])).toEqual([['BadDeviceToken', '1b3d5c6e…a4c2e7f']]);
    expect(facts(r, 'case.failed_push').map((f) => f.value)).toEqual(['200']);
  });

  it('named by the other token, whose ends its masked form shows: its BadDeviceToken is the case’s', async () => {
    const other = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
    const r = await diagnose(log(), '--answer', `q.case.device=${other}`);
    expect(facts(r, 'case.failed_push').map((f) => f.value)).toEqual(['400 BadDeviceToken']);
    expect(cause(r, 'apns.environment_mismatch')?.status).not.toBe('ruled_out');
  });
});

/**
 * The same log, and no word on which device the case is about: the two masked tokens have different ends, so
 * they are two devices. One's Unregistered is not the case's until the case says which device it is; the
 * report asks instead of taking either device's answers for the case's.
 */
describe('a provider log with masked tokens of two devices, no device named', () => {
  const twoDevices = () =>
    file(
      'provider.log',
      `${[
        '2026-11-20T10:00:00.120Z INFO  apns: connecting to api.push.apple.com:443',
        '2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=9a4c2e7f…7d9e0f apns-topic=com.example.demo status=200',
        '2026-11-20T10:01:01.110Z WARN  apns: push failed apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=1b3d5c6e…a4c2e7f apns-topic=com.example.demo status=410 reason=Unregistered',
      ].join('\n')}\n`,
    );

  it('asks which device the case is about; neither the 410 nor the 200 decides a cause', async () => {
    const r = await diagnose(twoDevices(), ...APP_CHECKED_ANSWERS);
    expect(facts(r, 'case.device_unresolved').map((f) => f.value)).toEqual(['token 1b3d5c6e…a4c2e7f, token 9a4c2e7f…7d9e0f']);
    expect(questionIds(r)[0]).toBe('q.case.device');
    expect(r.headline).toMatch(/Which one is this case about/);
    expect(cause(r, 'apns.stale_token')?.status).not.toBe('confirmed');
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
    expect(facts(r, 'case.failed_push')).toEqual([]);
    expect(r.escalation).toBeNull();
  });

  it('named by the token whose ends the 410 shows: that Unregistered is the case’s', async () => {
    const other = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
    const r = await diagnose(twoDevices(), '--answer', `q.case.device=${other}`);
    expect(facts(r, 'case.failed_push').map((f) => f.value)).toEqual(['410 Unregistered']);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
  });

  it('one device whose token the log masks the same way on every line is one device: nothing to ask', async () => {
    const log = file(
      'provider.log',
      `${[
        '2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=9a4c2e7f…7d9e0f apns-topic=com.example.demo status=200',
        '2026-11-20T10:05:00.004Z WARN  apns: push failed apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=9a4c2e7f…7d9e0f apns-topic=com.example.demo status=410 reason=Unregistered',
      ].join('\n')}\n`,
    );
    const r = await diagnose(log);
    expect(facts(r, 'case.device_unresolved')).toEqual([]);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
  });

  it('a masked token whose ends fit a whole token in the same log is that device, not another', async () => {
    const log = file(
      'provider.log',
      `${[
        `2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${CASE_TOKEN} apns-topic=com.example.demo status=200`,
        '2026-11-20T10:05:00.004Z WARN  apns: push failed apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=9a4c2e7f…7d9e0f apns-topic=com.example.demo status=410 reason=Unregistered',
      ].join('\n')}\n`,
    );
    const r = await diagnose(log);
    expect(facts(r, 'case.device_unresolved')).toEqual([]);
  });
});
