import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pem, pushCertificate } from '../apns/certs.js';
import { APP_CHECKED_ANSWERS, cause, diagnose, file, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "what reason did APNs give with its refusal?", when the provider's log kept the
 * HTTP status (403, 410, 413) but cut off the JSON body naming the reason. A refusal is never one for Apple,
 * whatever else was checked: the case asks for its reason, and the reason told is read as APNs's answer by
 * the cause it names. Every value below is made up.
 */

const TOKEN = '9a4c2e7f1b3d5c6e8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e0f';
const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));

/** Every other cause of the case checked: the app, its payload, its certificate, and the usual questions. */
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

const cut = (status: number) =>
  file('push-worker.log', `2026-11-20T10:01:00.004Z WARN  apns: push failed token=${TOKEN} apns-topic=com.example.demo :status=${status} body={"reas\n`);

describe('a refusal whose reason the log cut off, every other cause checked', () => {
  for (const status of [403, 410, 413]) {
    it(`${status}: not one for Apple; the case asks for the reason`, async () => {
      const r = await diagnose(cut(status), ...checkedCase());
      expect(r.escalation).toBeNull();
      expect(r.headline).not.toMatch(/one for Apple/);
      expect(questionIds(r)[0]).toBe('q.apns.refusal_reason');
    });
  }
});

describe('the reason told is read as the answer APNs gave', () => {
  const told = (reason: string) => ['--answer', `q.apns.refusal_reason=${reason}`];

  it('403 told as InvalidProviderToken: the provider token is refused', async () => {
    const r = await diagnose(cut(403), ...checkedCase(), ...told('InvalidProviderToken'));
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
    expect(cause(r, 'apns.malformed_request')?.status).toBe('ruled_out');
  });

  it('410 told as Unregistered, the app still installed: the provider holds a token that is no longer the app’s', async () => {
    const r = await diagnose(cut(410), ...checkedCase(), ...told('Unregistered'));
    expect(cause(r, 'apns.stale_token')?.status).toBe('confirmed');
  });

  it('413 told as PayloadTooLarge: the payload', async () => {
    const r = await diagnose(cut(413), ...checkedCase(), ...told('PayloadTooLarge'));
    expect(cause(r, 'apns.invalid_payload')?.status).toBe('confirmed');
  });

  it('a word APNs never answers is not taken', async () => {
    const r = await diagnose(cut(403), ...checkedCase(), ...told('NoIdea'), '--format', 'json');
    expect(JSON.stringify(r.problems)).toMatch(/q\.apns\.refusal_reason/);
    expect(r.escalation).toBeNull();
  });
});
