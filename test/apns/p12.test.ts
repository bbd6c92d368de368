import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts } from '../verdicts/evidence.js';

/**
 * Troubleshooting step: "which topic, environment and dates does the push certificate have?", asked of
 * the .p12 people export from Keychain Access or upload to a push service. The fixtures are throwaway
 * MDM push certificates made for these tests (subject UID com.apple.mgmt.External.<uuid>, CN APSP:<uuid>),
 * exported as OpenSSL 3 does by default (AES), as Keychain Access does (RC2-40 for the certificate, the
 * "legacy" layout), and with a password.
 */
const fixture = (name: string) => join(dirname(fileURLToPath(import.meta.url)), '../fixtures/apns', name);
const TOPIC = 'com.apple.mgmt.External.8d1f4b2e-6a3c-4e7d-9b05-2c4e6a8b0d1f';

describe('a push certificate exported as .p12', () => {
  it.each([
    ['with an empty password (AES, as OpenSSL 3 exports it)', 'mdm_push_nopass.p12'],
    ['in the layout Keychain Access exports (RC2-40), with an empty password', 'mdm_push_keychain_style.p12'],
  ])('%s: its topic and dates are read, as from the PEM', async (_what, name) => {
    const r = await diagnose(fixture(name));
    expect(r.problems).toEqual([]);
    expect(facts(r, 'cert.mdm_topic').map((f) => f.value)).toEqual([TOPIC]);
    expect(facts(r, 'cert.not_after')).toHaveLength(1);
    expect(r.domains).toContain('mdm');
  });

  it('with a password: not opened, and the person is told how to export the certificate alone', async () => {
    const r = await diagnose(fixture('mdm_push_password.p12'));
    expect(facts(r, 'cert.mdm_topic')).toEqual([]);
    expect(r.problems.map((p: { code: string; message: string }) => [p.code, p.message])).toEqual([
      ['cert.p12_unsupported', expect.stringMatching(/password.*openssl pkcs12 -in cert\.p12 -clcerts -nokeys/)],
    ]);
  });

  it('one whose key derivation asks for millions of iterations is refused unopened, at once', async () => {
    const started = process.hrtime.bigint();
    const r = await diagnose(fixture('mdm_push_hostile_iterations.p12'));
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(30);
    expect(r.problems.map((p: { code: string; message: string }) => [p.code, p.message])).toEqual([
      ['cert.p12_unsupported', expect.stringMatching(/more iterations than any real export/)],
    ]);
    expect(cause(r, 'mdm.certificate_expired')?.status).not.toBe('confirmed');
  });
});
