import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "which copy of the app is this case about?" The case names its device by the push
 * token, copied from wherever the team has it: the app's own log (`<1b3d5c6e 8a0b2c4d …>`, as NSData
 * prints it), a backend that keeps it in base64, or upper-case hex. Each is the same token as the
 * provider log's lower-case hex.
 */

const KEPT = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const GONE = '1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f9a4c2e7f';
const provider = () =>
  file(
    'provider.log',
    `${[
      `2026-11-20T10:01:00.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c token=${KEPT} apns-topic=com.example.demo status=200`,
      `2026-11-20T10:01:01.110Z WARN  apns: apns-id=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d token=${GONE} apns-topic=com.example.demo status=410 reason=Unregistered`,
    ].join('\n')}\n`,
  );

const FORMS: [string, string][] = [
  ['as NSData prints it', `<${GONE.match(/.{8}/g)!.join(' ')}>`],
  ['in base64', Buffer.from(GONE, 'hex').toString('base64')],
  ['in upper-case hex', GONE.toUpperCase()],
];

describe("the case's device named by its push token, in the forms teams copy it", () => {
  for (const [how, token] of FORMS)
    it(`${how}: taken as the unregistered token's device`, async () => {
      const r = await diagnose(provider(), '--answer', `q.case.device=${token}`);
      expect(r.problems).toEqual([]);
      expect(questionIds(r)).not.toContain('q.case.device');
      expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    });
});
