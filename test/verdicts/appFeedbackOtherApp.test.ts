import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { APP_CHECKED_ANSWERS, cause, diagnose, facts, file } from './evidence.js';

/**
 * Troubleshooting step (seed 000, what to send Apple): "which topic and token did the failing pushes use?",
 * asked of a provider that pushes for two apps from one log. Once the case names its device's token, the
 * Feedback draft names that token's pushes and the topic they went out on; the other app's topic and token
 * are another case's. Every value below is made up.
 */

const ONE = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const OTHER = '0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f5f1c0a9d2b7e4c3f8a6d1e';
const provider = () =>
  file(
    'provider.log',
    `${[
      '2026-11-20T10:00:00.120Z INFO  apns: connecting to api.push.apple.com:443',
      `2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${ONE} apns-topic=com.example.demo status=200`,
      `2026-11-20T10:01:01.110Z INFO  apns: sent apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=${OTHER} apns-topic=com.example.other status=200`,
      `2026-11-20T10:02:01.110Z WARN  apns: push failed apns-id=8a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=${OTHER} apns-topic=com.example.other status=410 reason=Unregistered`,
    ].join('\n')}\n`,
  );
const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));

describe("a provider log of two apps' pushes, the case named by its token", () => {
  it("the draft's push topic is the case's app's only, and neither the other app's token nor its pushes are in it", async () => {
    const { out } = await cli('feedback', provider(), entitlements, ...APP_CHECKED_ANSWERS, '--answer', `q.case.device=${ONE}`);
    expect(out).toContain('- Push topic: com.example.demo\n');
    expect(out).toContain(`- Push token: ${ONE}`);
    expect(out).not.toContain('com.example.other');
    expect(out).not.toContain(OTHER);
    expect(out).not.toContain('7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  });

  it("the rules read the case's topic only: the other app's is listed, set aside", async () => {
    const r = await diagnose(provider(), entitlements, '--answer', `q.case.device=${ONE}`);
    const topics = facts(r, 'apns.topic');
    expect(topics.filter((f) => !f.setAside).map((f) => f.value)).toEqual(['com.example.demo']);
    expect(topics.filter((f) => f.setAside).map((f) => f.value)).toEqual(['com.example.other']);
    expect(cause(r, 'apns.wrong_topic')?.status).toBe('ruled_out');
  });

  it("named by the other app's token, its topic is the one read", async () => {
    const r = await diagnose(provider(), '--answer', `q.case.device=${OTHER}`);
    expect(
      facts(r, 'apns.topic')
        .filter((f) => !f.setAside)
        .map((f) => f.value),
    ).toEqual(['com.example.other']);
  });
});
