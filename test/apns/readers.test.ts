import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, afterAll } from 'vitest';
import { readPaste, readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { APNS_REASONS } from '../../src/evidence/apns/reasons.js';
import type { Fact } from '../../src/facts/schema.js';
import { nameFields } from '../../src/evidence/apns/subject.js';
import { pem, pushCertificate } from './certs.js';
import { checkProfileFacts, checkTruncatedProfile } from './profileChecks.js';

/** Temp folders of this file, removed when it ends. */
const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ctx = { limits: DEFAULT_LIMITS };
const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/apns/${f}`, import.meta.url));
const values = (facts: Fact[], name: string) => facts.filter((f) => f.name === name).map((f) => f.value);
const one = (facts: Fact[], name: string) => facts.find((f) => f.name === name);

describe('provisioning profiles, read as they are', () => {
  it('an Xcode team development profile: no aps-environment, one device, development kind', async () => {
    await checkProfileFacts(fixture('dev_no_aps.mobileprovision'), {
      'provisioning.push_entitlement': [false],
      'provisioning.aps_environment': [],
      'provisioning.expires': ['2019-03-19T08:14:55.000Z'],
      'provisioning.team_id': ['Q7R2M4K9T3'],
      'provisioning.app_id': ['Q7R2M4K9T3.com.acme.FieldNotes'],
      'provisioning.devices': [1],
      'provisioning.kind': ['development'],
      'app.bundle_id': ['com.acme.FieldNotes'],
    });
  });

  it('an enterprise profile with aps-environment production that expired in 2017', async () => {
    const path = fixture('enterprise_aps_production.mobileprovision');
    const facts = await checkProfileFacts(path, {
      'provisioning.push_entitlement': [true],
      'provisioning.aps_environment': ['production'],
      'provisioning.expires': ['2017-09-02T13:40:21.000Z'],
      'provisioning.name': ['Acme Courier In House Push'],
      'provisioning.app_id_name': ['Acme Courier'],
      'provisioning.kind': ['enterprise'],
    });
    expect(one(facts, 'provisioning.push_entitlement')!.source).toEqual({ kind: 'file', input: path });
  });

  it('an enterprise profile without aps-environment, its name with umlauts and a dash decoded', async () => {
    await checkProfileFacts(fixture('enterprise_no_aps.mobileprovision'), {
      'provisioning.push_entitlement': [false],
      'provisioning.name': ['Müller Logistik – Lager (Verteilung intern)'],
      'app.bundle_id': ['de.muellerlogistik.lager'],
    });
  });

  it('a truncated profile is a problem, not a crash', async () => {
    await checkTruncatedProfile(fixture('enterprise_aps_production.mobileprovision'), tempDir('pushcheck-apns-'));
  });
});

describe('codesign -d --entitlements - output and .entitlements files', () => {
  it('the old XML form, behind the binary blob header', async () => {
    const r = await readPath(fixture('codesign_xml_development.txt'), ctx);
    expect(values(r.facts, 'app.push_entitlement')).toEqual([true]);
    expect(values(r.facts, 'app.aps_environment')).toEqual(['development']);
    expect(values(r.facts, 'app.bundle_id')).toEqual(['com.example.demo']);
    expect(one(r.facts, 'app.push_entitlement')!.attrs).toMatchObject({ from: 'codesign', key: 'aps-environment' });
  });

  it('the newer [Dict] [Key] [Value] form, macOS key spelling', async () => {
    const r = await readPath(fixture('codesign_dict_production.txt'), ctx);
    expect(values(r.facts, 'app.push_entitlement')).toEqual([true]);
    expect(values(r.facts, 'app.aps_environment')).toEqual(['production']);
    expect(one(r.facts, 'app.aps_environment')!.attrs?.key).toBe('com.apple.developer.aps-environment');
    expect(one(r.facts, 'app.aps_environment')!.source).toMatchObject({ line: 3 });
  });

  it('the [Dict] form without aps-environment says so', async () => {
    const r = await readPath(fixture('codesign_dict_no_aps.txt'), ctx);
    expect(values(r.facts, 'app.push_entitlement')).toEqual([false]);
    expect(values(r.facts, 'app.aps_environment')).toEqual([]);
  });

  it('an .entitlements plist', async () => {
    const r = await readPath(fixture('Demo.entitlements'), ctx);
    expect(values(r.facts, 'app.push_entitlement')).toEqual([true]);
    expect(values(r.facts, 'app.aps_environment')).toEqual(['development']);
    expect(one(r.facts, 'app.push_entitlement')!.attrs?.from).toBe('entitlements');
  });

  it('a pasted, decoded provisioning profile counts as a profile, not as the app', async () => {
    const text = `$ security cms -D -i embedded.mobileprovision
<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>Entitlements</key><dict><key>application-identifier</key><string>ABCDE12345.com.example.demo</string></dict>
<key>ExpirationDate</key><date>2027-01-01T00:00:00Z</date>
<key>TeamIdentifier</key><array><string>ABCDE12345</string></array>
</dict></plist>`;
    const r = await readPaste(text, 'pasted text', ctx);
    expect(values(r.facts, 'provisioning.push_entitlement')).toEqual([false]);
    expect(values(r.facts, 'app.push_entitlement')).toEqual([]);
    expect(one(r.facts, 'provisioning.push_entitlement')!.source).toEqual({ kind: 'pasted', input: 'pasted text', line: 2 });
  });

  it('a plist that is cut off mid-way is reported', async () => {
    const r = await readPaste('<?xml version="1.0"?>\n<plist version="1.0"><dict>\n<key>aps-environment</key>\n<string>production', 'pasted text', ctx);
    expect(values(r.facts, 'app.push_entitlement')).toEqual([]);
    expect(r.problems.map((p) => p.code)).toContain('entitlements.truncated');
  });
});

describe('push certificates', () => {
  const dir = tempDir('pushcheck-certs-');
  const mdmDer = pushCertificate({
    uid: 'com.apple.mgmt.External.2a3c1d2e-9f10-4b5c-8d7e-0a1b2c3d4e5f',
    cn: 'APSP:2a3c1d2e-9f10-4b5c-8d7e-0a1b2c3d4e5f',
    notBefore: '2025-03-01T00:00:00Z',
    notAfter: '2026-03-01T00:00:00Z',
  });
  const appDer = pushCertificate({
    uid: 'com.example.demo',
    cn: 'Apple Development IOS Push Services: com.example.demo',
    notBefore: '2025-01-01T00:00:00Z',
    notAfter: '2026-01-01T00:00:00Z',
  });
  const universal = pushCertificate({
    uid: 'com.example.demo',
    cn: 'Apple Push Services: com.example.demo',
    notBefore: '2025-01-01T00:00:00Z',
    notAfter: '2026-01-01T00:00:00Z',
    development: true,
    production: true,
    topics: ['com.example.demo', 'com.example.demo.voip'],
  });

  it('an MDM push certificate (PEM): topic from the subject UID, production, validity', async () => {
    const path = join(dir, 'mdm_push.pem');
    writeFileSync(path, pem(mdmDer));
    const r = await readPath(path, ctx);
    expect(r.problems).toEqual([]);
    expect(values(r.facts, 'cert.mdm_topic')).toEqual(['com.apple.mgmt.External.2a3c1d2e-9f10-4b5c-8d7e-0a1b2c3d4e5f']);
    expect(values(r.facts, 'cert.topic')).toEqual([]);
    expect(values(r.facts, 'cert.not_after')).toEqual(['2026-03-01T00:00:00.000Z']);
    expect(values(r.facts, 'cert.environment')).toEqual(['production']);
    expect(one(r.facts, 'cert.not_after')!.attrs?.kind).toBe('mdm');
  });

  it('an app development certificate as DER (.cer as the portal serves it): development from the subject', async () => {
    const path = join(dir, 'aps_development.cer');
    writeFileSync(path, appDer);
    const r = await readPath(path, ctx);
    expect(r.problems).toEqual([]);
    expect(values(r.facts, 'cert.topic')).toEqual(['com.example.demo']);
    expect(values(r.facts, 'cert.environment')).toEqual(['development']);
    expect(one(r.facts, 'cert.environment')!.attrs?.from).toBe('subject');
  });

  it("a universal certificate: both environments from Apple's extensions, and its extra topics", async () => {
    const r = await readPaste(`here is our cert:\n${pem(universal)}thanks`, 'pasted text', ctx);
    expect(values(r.facts, 'cert.environment')).toEqual(['development', 'production']);
    expect(one(r.facts, 'cert.environment')!.attrs?.from).toBe('extension');
    expect(values(r.facts, 'cert.extra_topic')).toEqual(['com.example.demo.voip']);
    expect(one(r.facts, 'cert.topic')!.source).toEqual({ kind: 'pasted', input: 'pasted text', line: 2 });
  });

  it('the topic and the name are read as issued, even with characters a distinguished name escapes', async () => {
    const odd = pushCertificate({
      uid: 'com.example.a,b+c;d',
      cn: 'Apple Push Services: com.example.a,b+c;d',
      notBefore: '2025-01-01T00:00:00Z',
      notAfter: '2026-01-01T00:00:00Z',
    });
    const r = await readPaste(pem(odd), 'pasted text', ctx);
    expect(values(r.facts, 'cert.topic')).toEqual(['com.example.a,b+c;d']);
    expect(values(r.facts, 'cert.subject')).toEqual(['Apple Push Services: com.example.a,b+c;d']);
  });

  it.each([
    [
      'one attribute a line',
      'UID=com.example.demo\nCN=Apple Push Services: com.example.demo\nC=US',
      [
        ['UID', 'com.example.demo'],
        ['CN', 'Apple Push Services: com.example.demo'],
        ['C', 'US'],
      ],
    ],
    [
      'RFC 2253 escapes',
      'UID=a\\,b\\+c\\\\d\\ \nCN=\\#x=y',
      [
        ['UID', 'a,b+c\\d '],
        ['CN', '#x=y'],
      ],
    ],
    ['a control character as hex', 'UID=new\\0Aline', [['UID', 'new\nline']]],
    [
      'a multi-valued RDN',
      'UID=com.example.demo + CN=Demo\\ \nO=Example',
      [
        ['UID', 'com.example.demo'],
        ['CN', 'Demo '],
        ['O', 'Example'],
      ],
    ],
    ['a type OpenSSL has no name for', '0.9.2342.19200300.100.1.1=com.example.demo', [['0.9.2342.19200300.100.1.1', 'com.example.demo']]],
  ])('the subject as node:crypto prints it: %s', (_what, printed, fields) => {
    expect(nameFields(printed)).toEqual(fields);
  });

  it('a certificate without a subject UID is not a push certificate; a CA in the chain is skipped quietly', async () => {
    const plain = pushCertificate({ cn: 'www.example.com', notBefore: '2025-01-01T00:00:00Z', notAfter: '2026-01-01T00:00:00Z' });
    const ca = pushCertificate({
      cn: 'Apple Worldwide Developer Relations Certification Authority',
      notBefore: '2025-01-01T00:00:00Z',
      notAfter: '2030-01-01T00:00:00Z',
    });
    const r = await readPaste(pem(plain) + pem(ca), 'pasted text', ctx);
    expect(r.facts.filter((f) => f.name.startsWith('cert.'))).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['cert.no_topic']);
  });

  it('garbage in a certificate block, an unterminated block, and a .p12 each give a clear problem', async () => {
    const r = await readPaste('-----BEGIN CERTIFICATE-----\nTUlJQm9vb29v\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA', 'pasted text', ctx);
    expect(r.problems.map((p) => p.code).sort()).toEqual(['cert.malformed', 'cert.truncated']);
    const p12 = join(dir, 'push.p12');
    writeFileSync(p12, Buffer.from([0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03]));
    const q = await readPath(p12, ctx);
    expect(q.problems.map((p) => p.code)).toEqual(['cert.p12_unsupported']);
    expect(q.problems[0].message).toContain('openssl pkcs12');
  });
});

describe('APNs answers as people paste them', () => {
  it('curl -v output: the status, apns-id and reason a few lines apart are one answer, from the production host', async () => {
    const r = await readPaste(
      `* Connected to api.push.apple.com (17.188.143.34) port 443
> POST /3/device/0f1e2d3c HTTP/2
> apns-topic: com.example.demo
< HTTP/2 400
< apns-id: 6F2C7C6B-5B5A-4F0E-9C2E-3F0B1E2D3C4A
<
{"reason":"BadDeviceToken"}`,
      'pasted text',
      ctx,
    );
    const answers = r.facts.filter((f) => f.name === 'apns.response');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      value: 'BadDeviceToken',
      source: { kind: 'pasted', line: 4 },
      attrs: { status: '400', reason: 'BadDeviceToken', apns_id: '6f2c7c6b-5b5a-4f0e-9c2e-3f0b1e2d3c4a', environment: 'production', class: 'configuration' },
    });
    expect(values(r.facts, 'apns.endpoint')).toEqual(['production']);
    expect(values(r.facts, 'apns.topic')).toEqual(['com.example.demo']);
  });

  it('the reason inside a GOAWAY debug string, then unexpected EOF', async () => {
    const r = await readPaste(
      `http2: Transport received GOAWAY len=46 ErrCode=NO_ERROR Debug="{\\"reason\\":\\"BadCertificateEnvironment\\"}"
Post "https://api.sandbox.push.apple.com/3/device/abc": http2: RoundTrip failure: unexpected EOF`,
      'pasted text',
      ctx,
    );
    expect(one(r.facts, 'apns.response')).toMatchObject({
      value: 'BadCertificateEnvironment',
      attrs: { via: 'goaway', status: '403', environment: 'development' },
    });
    expect(values(r.facts, 'apns.tls_error')).toEqual(['unexpected_eof']);
  });

  it('provider library lines: snake case, Apple phrases, status + reason', async () => {
    const r = await readPaste(
      `Error code 400 (:bad_device_token): The specified device token was bad.
APNs returned HTTP 400: {"reason":"DeviceTokenNotForTopic"}
rpush: {"error_code": 400, "error_description": "TopicDisallowed"}
buford: device token is inactive for the specified topic`,
      'pasted text',
      ctx,
    );
    expect(values(r.facts, 'apns.response')).toEqual(['BadDeviceToken', 'DeviceTokenNotForTopic', 'TopicDisallowed', 'Unregistered']);
  });

  it('an MDM server log: nanopush 410 and TLS failures are MDM evidence, not app evidence', async () => {
    const r = await readPaste(
      `2026/11/20 10:00:00 level=info service=nanopush msg=push err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1763632800000"
2026/11/20 10:05:00 level=info component=apns method=Push udid=X err="Post https://api.push.apple.com/3/device/REDACTED: remote error: tls: internal error"`,
      'pasted text',
      ctx,
    );
    expect(values(r.facts, 'apns.response')).toEqual([]);
    expect(one(r.facts, 'mdm.apns_response')).toMatchObject({
      value: 'Unregistered',
      at: '2026-11-20T10:00:00.000Z',
      attrs: { status: '410', timestamp: '1763632800000' },
    });
    expect(values(r.facts, 'mdm.apns_tls_error')).toEqual(['internal_error']);
  });

  it("an MDM server's command statuses are skipped early, but answers among them are still read", async () => {
    const dir = tempDir('pushcheck-apns-');
    const path = join(dir, 'nanomdm.log');
    const notNow = (s: number) =>
      `ts=2026-11-20T10:00:0${s}Z level=info service=nanomdm status=NotNow id=00008110-001A2C3E4F50801E type=Device command_uuid=6a1b2c3d-4e5f-4a6b-8c7d-00000000000${s}`;
    writeFileSync(
      path,
      [
        notNow(1),
        'ts=2026-11-20T10:00:02Z level=info service=nanopush msg=push err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1763632800000"',
        notNow(3),
        'ts=2026-11-20T10:00:04Z level=info service=nanomdm status=Acknowledged id=00008110-001A2C3E4F50801E type=Device',
        ...[5, 6, 7, 8, 9].map(notNow),
        // A command status beside a reason in snake case, well after the answer: read in full, as before.
        'ts=2026-11-20T10:00:20Z level=info service=nanomdm status=Idle id=00008101-000D3A5C7E90401E detail=topic_disallowed',
        notNow(9),
      ].join('\n'),
    );
    const r = await readPath(path, ctx);
    expect(values(r.facts, 'mdm.apns_response')).toEqual(['Unregistered', 'TopicDisallowed']);
    expect(one(r.facts, 'mdm.apns_response')).toMatchObject({ at: '2026-11-20T10:00:02.000Z', attrs: { status: '410' } });
  });

  it('a provider log file: times, 200s, repeated TLS failures counted once', async () => {
    const r = await readPath(fixture('provider_http2.log'), ctx);
    expect(values(r.facts, 'apns.response')).toEqual(['200', 'BadDeviceToken', 'Unregistered']);
    expect(one(r.facts, 'apns.response')).toMatchObject({
      at: '2026-11-20T10:00:01.004Z',
      source: { line: 2 },
      attrs: { status: '200', environment: 'production' },
    });
    expect(one(r.facts, 'apns.tls_error')).toMatchObject({ value: 'expired_certificate', source: { line: 5 }, attrs: { lines: '2' } });
    expect(values(r.facts, 'apns.push_type')).toEqual(['alert']);
    // The health check's "200" is not an APNs answer.
    expect(r.facts.some((f) => f.source.kind === 'file' && f.source.line === 7)).toBe(false);
  });

  it('the legacy binary interface: a status byte is read as its modern reason', async () => {
    const r = await readPaste('connecting to gateway.push.apple.com:2195\nerror-response command=8 status=8 identifier=42', 'pasted text', ctx);
    expect(one(r.facts, 'apns.response')).toMatchObject({ value: 'BadDeviceToken', attrs: { via: 'legacy', legacy_status: '8', meaning: 'Invalid token' } });
    expect(values(r.facts, 'apns.endpoint')).toEqual(['production']);
  });

  it('TLS trust and connection failures of the provider', async () => {
    const r = await readPaste(
      `Post "https://api.sandbox.push.apple.com/3/device/x": tls: failed to verify certificate: x509: certificate signed by unknown authority
dial tcp 17.188.138.74:443: i/o timeout (api.push.apple.com)`,
      'pasted text',
      ctx,
    );
    expect(values(r.facts, 'apns.tls_error')).toEqual(['unknown_authority']);
    expect(values(r.facts, 'apns.provider_connect_error')).toEqual(['timeout']);
  });

  it('ordinary words and numbers in unrelated log lines are not APNs answers', async () => {
    const dir = tempDir('pushcheck-apns-');
    const path = join(dir, 'web.log');
    writeFileSync(
      path,
      '10.0.0.1 - - "GET /admin HTTP/1.1" 403 Forbidden\nservice Shutdown requested\nuser Unregistered from newsletter\nunexpected EOF reading config\n',
    );
    const r = await readPath(path, ctx);
    expect(r.facts).toEqual([]);
  });

  it('the reason table covers every current APNs reason once, each with a class, next step and source', () => {
    const names = APNS_REASONS.map((x) => x.reason);
    expect(new Set(names).size).toBe(names.length);
    for (const must of [
      'BadDeviceToken',
      'DeviceTokenNotForTopic',
      'Unregistered',
      'ExpiredToken',
      'BadCertificateEnvironment',
      'PayloadTooLarge',
      'TooManyProviderTokenUpdates',
      'UnrelatedKeyIdInToken',
      'BadEnvironmentKeyIdInToken',
      'Shutdown',
    ])
      expect(names).toContain(must);
    expect(names).toHaveLength(32);
    for (const x of APNS_REASONS) {
      expect(x.next.length).toBeGreaterThan(5);
      expect(x.source).toMatch(/^https:\/\//);
      expect(['permanent', 'transient', 'configuration', 'caller-bug']).toContain(x.class);
    }
  });
});

describe('payloads pasted as JSON', () => {
  it('counts UTF-8 bytes of the compact JSON', async () => {
    const r = await readPaste('{\n  "aps": { "alert": "Grüße 👋" }\n}', 'pasted text', ctx);
    const compact = JSON.stringify({ aps: { alert: 'Grüße 👋' } });
    expect(values(r.facts, 'apns.payload_bytes')).toEqual([Buffer.byteLength(compact, 'utf8')]);
    expect(values(r.facts, 'apns.payload_has_aps')).toEqual([true]);
  });

  it('alert and badge outside "aps", and broken JSON, are malformed payloads', async () => {
    const a = await readPaste('{"alert":"hi","badge":1}', 'pasted text', ctx);
    expect(values(a.facts, 'apns.payload_invalid')).toEqual(['alert, badge must sit inside an "aps" dictionary']);
    const b = await readPaste('{"aps": {"alert": "hi",}}', 'pasted text', ctx);
    expect(String(values(b.facts, 'apns.payload_invalid')[0])).toMatch(/^not valid JSON/);
  });

  it('an APNs answer or an MDM push body is not an app payload', async () => {
    const r = await readPaste('{"mdm":"6AE5A8F6-0000-4000-8000-000000000000"}', 'pasted text', ctx);
    expect(r.facts.filter((f) => f.name.startsWith('apns.payload'))).toEqual([]);
  });
});
