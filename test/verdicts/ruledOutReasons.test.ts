import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { APP_CHECKED_ANSWERS, cause, diagnose, file } from './evidence.js';

/**
 * A cause ruled out is explained by what ruled it out. An app's provider got BadDeviceToken for a
 * push at 09:40, then APNs accepted the next at 10:05, and the team says the provider uses the token
 * of the app's latest launch: the stale token is ruled out, and neither the report nor the Feedback
 * draft may go on to say "the provider's token is not the one the app registered most recently".
 */

const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));
const provider = () =>
  file(
    'provider.log',
    `${[
      '2026-11-20T09:40:00.120Z INFO  apns: connecting to api.push.apple.com:443',
      '2026-11-20T09:40:03.552Z WARN  apns: push failed: 400 BadDeviceToken apns-id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d apns-topic=com.example.demo',
      '2026-11-20T10:05:01.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c apns-topic=com.example.demo apns-push-type=alert status=200',
    ].join('\n')}\n`,
  );

const STALE_WHY = "The provider's token is not the one the app registered most recently";

describe('an old BadDeviceToken, a later 200, and the token of the latest launch', () => {
  it('rules the stale token out with only the reason that ruled it out', async () => {
    const r = await diagnose(provider(), entitlements, ...APP_CHECKED_ANSWERS);
    const stale = cause(r, 'apns.stale_token');
    expect(stale?.status).toBe('ruled_out');
    expect(stale?.because).toEqual(['The provider uses the token the app sent at its latest launch, or a push to that token reached the device.']);
    // The old BadDeviceToken pointed at it once; it is not evidence for ruling it out.
    expect(stale?.evidence.map((e: { value: string }) => e.value)).not.toContain('BadDeviceToken');
    // The full trace still shows the rule that held on the old answer.
    expect(stale?.rules.find((x: { id: string }) => x.id === 'apns.stale_token.bad_token_same_environment')?.result).toBe(true);
  });

  it("the Feedback draft's ruled-out section gives no reason that speaks for the cause", async () => {
    const { code, out } = await cli('feedback', provider(), entitlements, ...APP_CHECKED_ANSWERS);
    expect(code).toBe(0);
    const section = out.slice(out.indexOf('Causes ruled out before filing'));
    const stale = section.slice(section.indexOf("- The provider sends to a device token that is no longer the app's")).split(/\n- /)[0];
    expect(stale).toContain('Why: The provider uses the token the app sent at its latest launch');
    expect(stale).not.toContain(STALE_WHY);
    expect(stale).not.toContain('BadDeviceToken');
    expect(out).not.toContain(STALE_WHY);
  });

  it('the text report says the same', async () => {
    const { out } = await cli('diagnose', provider(), entitlements, ...APP_CHECKED_ANSWERS, '--detail', 'full');
    expect(out).not.toContain(STALE_WHY);
  });
});
