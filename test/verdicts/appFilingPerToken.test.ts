import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { cli } from '../cli/helpers.js';
import { APP_CHECKED_ANSWERS, diagnose, file, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "which failed pushes do we send Apple?" An app provider's log holds the pushes to
 * every copy of the app. Apple looks up one device's pushes: once the case names its device's token, the
 * draft lists that token's pushes and names the token; while the case has not said which copy is its, no
 * copy's pushes are filed as "this device's".
 */

const ONE = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const OTHER = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
const provider = () =>
  file(
    'provider.log',
    `${[
      `2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${ONE} apns-topic=com.example.demo status=200`,
      `2026-11-20T10:01:01.110Z INFO  apns: sent apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=${OTHER} apns-topic=com.example.demo status=200`,
    ].join('\n')}\n`,
  );
const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));

describe('an app provider log of two tokens, every app cause checked', () => {
  it('named: the draft lists only that token’s push, and names the token', async () => {
    const { out } = await cli('feedback', provider(), entitlements, ...APP_CHECKED_ANSWERS, '--answer', `q.case.device=${OTHER}`);
    expect(out).toContain('apns-id 7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    expect(out).not.toContain('apns-id 5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c');
    expect(out).toContain(`- Push token: ${OTHER}`);
  });

  it('not named: nothing goes to Apple as one device’s pushes; the case asks which copy is its', async () => {
    const r = await diagnose(provider(), entitlements, ...APP_CHECKED_ANSWERS);
    expect(r.escalation).toBeNull();
    expect(questionIds(r)).toContain('q.case.device');
    expect(r.headline).toMatch(/Which one is this case about/);
  });
});

describe("a provider log that writes its local time to the second, several pushes to the case's token", () => {
  it('lists each push with its own log line, and calls the clock the provider log’s, never UTC', async () => {
    const log = file(
      'provider.log',
      `${[
        `2026-11-20 09:58:00 INFO  apns: sent apns-id=1e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${OTHER} apns-topic=com.example.demo status=200`,
        `2026-11-20 10:01:00 INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${ONE} apns-topic=com.example.demo status=200`,
        `2026-11-20 10:05:00 INFO  apns: sent apns-id=6e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${ONE} apns-topic=com.example.demo status=200`,
        `2026-11-20 10:12:00 INFO  apns: sent apns-id=9e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${OTHER} apns-topic=com.example.demo status=200`,
      ].join('\n')}\n`,
    );
    const { out } = await cli('feedback', log, entitlements, ...APP_CHECKED_ANSWERS, '--answer', `q.case.device=${ONE}`);
    expect(out).toMatch(
      /^- 2026-11-20 10:01:00 \(zone unknown\): APNs response: 200; the notification never arrived; apns-id 5e3b1a2c-\S+ — \S*provider\.log line 2$/m,
    );
    expect(out).toMatch(
      /^- 2026-11-20 10:05:00 \(zone unknown\): APNs response: 200; the notification never arrived; apns-id 6e3b1a2c-\S+ — \S*provider\.log line 3$/m,
    );
    expect(out).toContain(
      "Between 2026-11-20 10:01:00 and 2026-11-20 10:05:00 (the provider log's local time; its zone is not in the evidence) the provider sent 2 pushes",
    );
    // The other copy's pushes (09:58, 10:12) are not when this device's failures began.
    expect(out).toContain('When pushes started failing: 2026-11-20 10:01:00 (zone unknown)');
    expect(out).not.toMatch(/09:58:00|10:12:00|\d UTC/);
  });
});
