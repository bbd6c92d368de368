import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pem, pushCertificate } from '../apns/certs.js';
import { APP_CHECKED_ANSWERS, diagnose, facts, file, note } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer?" — 400 IdleTimeout: APNs closed a connection the provider had
 * left idle, and the push on it was not taken. The fix is the provider's (open a new connection and send
 * again), like 429 TooManyRequests: no failed push for Apple, however well every other cause was checked.
 * Every value below is made up.
 */

const TOKEN = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));
const checkedCase = () => [
  entitlements,
  file('payload.json', '{"aps":{"alert":"Your order shipped"}}\n'),
  file(
    'app-push.pem',
    pem(
      pushCertificate({
        uid: 'com.example.demo',
        cn: 'Apple Push Services: com.example.demo',
        notBefore: '2026-01-01T10:00:00Z',
        notAfter: '2027-06-01T10:00:00Z',
        production: true,
        topics: ['com.example.demo'],
      }),
    ),
  ),
  ...APP_CHECKED_ANSWERS,
  ...['--answer', 'q.apns.provider_host=production', '--answer', 'q.apns.cert_reloaded=yes', '--now', '2026-11-21T00:00:00Z'],
];

describe('APNs answers 400 IdleTimeout, every other cause checked', () => {
  it('is not a failed push for Apple: the note says to reconnect and send again', async () => {
    const log = file(
      'push-worker.log',
      `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=400 body={"reason":"IdleTimeout"}\n`,
    );
    const r = await diagnose(log, ...checkedCase());
    expect(r.escalation).toBeNull();
    expect(r.headline).not.toMatch(/one for Apple/);
    expect(facts(r, 'case.failed_push')).toEqual([]);
    expect(note(r, 'apns.note.transient_answer')?.text).toMatch(/IdleTimeout that APNs closed a connection/);
  });
});
