import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_CHECKED_ANSWERS, cause, diagnose, file } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the pushes to this device's token?" The case names its
 * device by its push token, and the provider's log holds pushes to another token only. What APNs said of
 * that token (410 Unregistered: the app was removed from that copy) is not said of the case's device: the
 * log is another device's, or the provider holds an old token for this one. Neither makes "the app was
 * removed from this device" likely, and no Feedback is filed on another token's pushes.
 */

const NAMED = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const OTHER = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
const provider = (line: string) => file('provider.log', `${line}\n`);
const unregistered = `2026-11-20T10:01:01.110Z WARN  apns: apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=${OTHER} apns-topic=com.example.demo status=410 reason=Unregistered`;
const accepted = `2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${OTHER} apns-topic=com.example.demo status=200`;

const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));

describe('a provider log of another token than the one the case names', () => {
  it('its 410 Unregistered does not make "the app was removed" likely for the named device', async () => {
    const r = await diagnose(provider(unregistered), '--answer', `q.case.device=${NAMED}`);
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
  });

  it('the same log naming the case token: likely, as before', async () => {
    const r = await diagnose(provider(unregistered), '--answer', `q.case.device=${OTHER}`);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
  });

  it("its accepted push is not filed with Apple as the named device's", async () => {
    const r = await diagnose(provider(accepted), entitlements, ...APP_CHECKED_ANSWERS, '--answer', `q.case.device=${NAMED}`);
    expect(r.escalation).toBeNull();
    // Named as the log's own token, the same case goes to Apple.
    const own = await diagnose(provider(accepted), entitlements, ...APP_CHECKED_ANSWERS, '--answer', `q.case.device=${OTHER}`);
    expect(own.filing.status).toBe('ready');
  });
});
