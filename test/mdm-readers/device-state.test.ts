import { readFileSync } from 'node:fs';
import * as plist from 'plist';
import { describe, expect, it } from 'vitest';
import { mdmReaders } from '../../src/evidence/mdm/index.js';
import { fixture, mdmProblems, only, read, readFixture, values } from './helpers.js';

const MEMBER = 'sysdiagnose_2024.03.01_09-20-11+0100_iPhone-OS_iPhone_21D61/logs/MCState/Shared/MDM.plist';
const TOPIC = 'com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9';
const HASH = '0a9f28fd74bf39c4cbdd7d0acb30a6598b40160d5ffe3c6de3bf319ec262bbbd';

/** The XML fixture as mdmd writes it on the device: binary. */
function binaryMdmPlist(): Buffer {
  const value = plist.parse(readFileSync(fixture('MDM.plist'), 'utf8'));
  return Buffer.from(plist.buildBinary(value as never));
}

const identity = (r: { facts: { name: string; value: unknown }[] }) => r.facts.map((f) => `${f.name}=${String(f.value)}`).sort();

describe('MDM.plist, as `plutil -p logs/MCState/Shared/MDM.plist` would show it', () => {
  it('XML: PushMagic, LastPushTokenHash as 64 hex, URLs, topic, polling times, enrolled; with member and line', async () => {
    const r = await readFixture('MDM.plist', { input: 'sysdiagnose.tar.gz', member: MEMBER });
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'device.push_magic')).toMatchObject({
      value: '5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7',
      source: { kind: 'file', input: 'sysdiagnose.tar.gz', member: MEMBER, line: 21 },
    });
    expect(only(r, 'device.push_token_hash').value).toBe(HASH);
    expect(only(r, 'device.server_url').value).toBe('https://mdm.acme-corp.test/mdm');
    expect(only(r, 'device.checkin_url').value).toBe('https://mdm.acme-corp.test/checkin');
    expect(only(r, 'device.topic').value).toBe(TOPIC);
    expect(only(r, 'device.last_polling_attempt')).toMatchObject({ value: '2024-03-01T09:15:42.000Z', at: '2024-03-01T09:15:42.000Z' });
    expect(only(r, 'device.last_polling_success').value).toBe('2024-02-28T17:02:11.000Z');
    expect(only(r, 'device.push_magic_mismatch_at').value).toBe('2024-03-01T08:00:05.000Z');
    expect(only(r, 'device.mdm_apns_environment').value).toBe('production');
    expect(only(r, 'device.mdm_identity').value).toBe('7C1B4A57-3D5E-4B8B-9E0F-2B1D6A3C9F10');
    expect(only(r, 'device.mdm_managing_profile').value).toBe('com.acme.mdm.enrollment');
    expect(only(r, 'device.mdm_enrolled').value).toBe(true);
  });

  it('binary (bplist00, what the device really holds) gives the same facts, without line numbers', async () => {
    const bin = binaryMdmPlist();
    expect(bin.subarray(0, 8).toString('latin1')).toBe('bplist00');
    const xml = await readFixture('MDM.plist', { input: 'sysdiagnose.tar.gz', member: MEMBER });
    const r = await read({ input: 'sysdiagnose.tar.gz', member: MEMBER }, bin);
    expect(mdmProblems(r)).toEqual([]);
    expect(identity(r)).toEqual(identity(xml));
    expect(only(r, 'device.push_token_hash').value).toBe(HASH);
    expect(only(r, 'device.push_magic').source).toEqual({ kind: 'file', input: 'sysdiagnose.tar.gz', member: MEMBER });
  });

  it('is recognised by its keys whatever it is called, pasted too', async () => {
    const r = await read({ input: 'pasted text', pasted: true }, binaryMdmPlist());
    expect(only(r, 'device.push_magic').source).toEqual({ kind: 'pasted', input: 'pasted text' });
    const odd = await read('copy of mdm (2).dat', binaryMdmPlist());
    expect(only(odd, 'device.push_token_hash').value).toBe(HASH);
  });

  it('survives a UTF-8 BOM and leading blank lines (copied out of an editor)', async () => {
    const text = readFileSync(fixture('MDM.plist'));
    const r = await read('MDM.plist', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n\n  '), text]));
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'device.push_magic').value).toBe('5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7');
  });

  it('a LastPushTokenHash that is not 32 bytes is a problem; the rest of the file is still used', async () => {
    const value = plist.parse(readFileSync(fixture('MDM.plist'), 'utf8')) as Record<string, unknown>;
    value.LastPushTokenHash = Buffer.alloc(31, 7);
    const r = await read('MDM.plist', Buffer.from(plist.buildBinary(value as never)));
    expect(values(r, 'device.push_token_hash')).toEqual([]);
    expect(r.problems).toEqual([{ input: 'MDM.plist', code: 'mdm.token_hash.length', message: expect.stringMatching(/31 bytes.*32 bytes/) }]);
    expect(only(r, 'device.push_magic').value).toBe('5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7');
  });
});

describe('profile stubs (logs/MCState/Shared/profile-*.stub)', () => {
  const member = 'sysdiagnose_x/logs/MCState/Shared/profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub';

  it("the MDM payload's topic, URLs and identity, and when the profile was installed", async () => {
    const r = await readFixture('profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub', { input: 'sd.tgz', member });
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'device.topic')).toMatchObject({ value: TOPIC, source: { member, line: 41 } });
    expect(only(r, 'device.server_url').value).toBe('https://mdm.acme-corp.test/mdm');
    expect(only(r, 'device.checkin_url').value).toBe('https://mdm.acme-corp.test/checkin');
    expect(only(r, 'device.mdm_identity').value).toBe('7C1B4A57-3D5E-4B8B-9E0F-2B1D6A3C9F10');
    expect(only(r, 'device.mdm_profile_installed_at').value).toBe('2024-01-15T10:20:30.000Z');
    expect(only(r, 'device.mdm_enrolled').value).toBe(true);
    expect(values(r, 'profile.topic')).toEqual([]);
  });

  it('a binary stub reads the same', async () => {
    const value = plist.parse(readFileSync(fixture('profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub'), 'utf8'));
    const r = await read({ input: 'sd.tgz', member }, Buffer.from(plist.buildBinary(value as never)));
    expect(only(r, 'device.topic').value).toBe(TOPIC);
    expect(only(r, 'device.mdm_profile_installed_at').value).toBe('2024-01-15T10:20:30.000Z');
  });

  it('logging profiles are noted, Managed Configuration and APNs apart; they say nothing about enrollment', async () => {
    const r = await readFixture('profile-logging-managedconfiguration.stub', { input: 'sd.tgz', member: 'x/logs/MCState/Shared/profile-logging.stub' });
    expect(mdmProblems(r)).toEqual([]);
    expect(values(r, 'device.logging_profiles')).toEqual(['managed_configuration', 'apns']);
    expect(r.facts.find((f) => f.name === 'device.logging_profiles')?.attrs).toMatchObject({ identifier: 'com.example.logging' });
    expect(values(r, 'device.mdm_enrolled')).toEqual([]);
  });
});

describe('enrollment profiles as served', () => {
  it('a CMS-signed .mobileconfig: signed, its real topic and URLs, no placeholder', async () => {
    const r = await readFixture('enroll_signed.mobileconfig');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'profile.signed').value).toBe(true);
    expect(only(r, 'profile.topic').value).toBe(TOPIC);
    expect(only(r, 'profile.server_url').value).toBe('https://mdm.acme-corp.test/mdm');
    expect(values(r, 'profile.placeholder')).toEqual([]);
  });

  it('the signed profile is found by its envelope even under another name', async () => {
    const r = await read('attachment.bin', readFileSync(fixture('enroll_signed.mobileconfig')));
    expect(only(r, 'profile.topic').value).toBe(TOPIC);
  });

  it('a topic without the com.apple.mgmt. prefix and {{…}} / CHANGEME values are kept as they are and flagged', async () => {
    const xml = readFileSync(fixture('server/enroll_template.mobileconfig'), 'utf8')
      .replace('com.apple.mgmt.External.YOUR-TOPIC-HERE', 'com.acme.push')
      .replace('https://mdm.example.com/mdm', 'https://{{ mdm_host }}/mdm')
      .replace('https://mdm.example.com/checkin', 'https://mdm.acme-corp.test/checkin');
    const r = await read('enroll.mobileconfig', Buffer.from(xml));
    expect(only(r, 'profile.topic').value).toBe('com.acme.push');
    const ph = Object.fromEntries(r.facts.filter((f) => f.name === 'profile.placeholder').map((f) => [f.attrs?.key, f.value]));
    expect(ph).toEqual({ Challenge: 'CHANGEME', URL: 'https://mdm.example.com/scep', ServerURL: 'https://{{ mdm_host }}/mdm' });
  });
});

describe('check-ins and results beyond the real-world set', () => {
  const xml = (body: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`);

  it('CheckOut: the device announced it is leaving MDM', async () => {
    const r = await read(
      'checkout.plist',
      xml('<key>MessageType</key><string>CheckOut</string><key>Topic</key><string>com.apple.mgmt.External.x</string><key>UDID</key><string>U-1</string>'),
    );
    expect(only(r, 'mdm.checkin.checkout')).toMatchObject({ value: true, attrs: { udid: 'U-1', channel: 'device' } });
    // The Topic a check-in carries is the one the device enrolled with (issue 8 item 4), not the server's push topic.
    expect(only(r, 'server.enrolled_topic').value).toBe('com.apple.mgmt.External.x');
    expect(r.facts.some((f) => f.name === 'server.topic')).toBe(false);
  });

  it("a user-channel TokenUpdate is marked channel=user and does not pose as the device's token", async () => {
    const token = Buffer.alloc(32, 0xab).toString('base64');
    const r = await read(
      'tu-user.plist',
      xml(
        `<key>MessageType</key><string>TokenUpdate</string><key>PushMagic</key><string>M-USER</string><key>Token</key><data>${token}</data><key>Topic</key><string>com.apple.mgmt.External.x</string><key>UDID</key><string>U-1</string><key>UserID</key><string>A1B2</string><key>UserShortName</key><string>jdoe</string>`,
      ),
    );
    expect(only(r, 'mdm.checkin.token_update').attrs).toMatchObject({ channel: 'user', user: 'jdoe' });
    expect(values(r, 'server.push_token')).toEqual([]);
    expect(values(r, 'server.push_magic')).toEqual([]);
  });

  it('NotNow and Idle results are statuses too; a TokenUpdate with a short token is a problem', async () => {
    const nn = await read(
      'r.plist',
      xml('<key>CommandUUID</key><string>C-1</string><key>Status</key><string>NotNow</string><key>UDID</key><string>U-1</string>'),
    );
    expect(only(nn, 'mdm.command.status')).toMatchObject({ value: 'NotNow', attrs: { command_uuid: 'C-1' } });
    const idle = await read('i.plist', xml('<key>Status</key><string>Idle</string><key>UDID</key><string>U-1</string>'));
    expect(only(idle, 'mdm.command.status').value).toBe('Idle');
    const bad = await read(
      't.plist',
      xml(`<key>MessageType</key><string>TokenUpdate</string><key>Token</key><data>${Buffer.alloc(16).toString('base64')}</data>`),
    );
    expect(bad.problems.map((p) => p.code)).toEqual(['mdm.token.length']);
    expect(values(bad, 'server.push_token')).toEqual([]);
  });

  it('a webhook acknowledge_event is read as a command result with the event time', async () => {
    const payload = xml('<key>CommandUUID</key><string>C-9</string><key>Status</key><string>Acknowledged</string><key>UDID</key><string>U-9</string>').toString(
      'base64',
    );
    const events = [
      { topic: 'mdm.Connect', created_at: '2024-03-01T10:00:00Z', acknowledge_event: { udid: 'U-9', status: 'Acknowledged', raw_payload: payload } },
      { topic: 'mdm.Connect', created_at: '2024-03-01T10:05:00Z', acknowledge_event: { udid: 'U-9', status: 'NotNow', command_uuid: 'C-10' } },
    ];
    // MDM readers only: other domains may read the same JSON lines as server log text.
    const r = await read('events.ndjson', Buffer.from(events.map((e) => JSON.stringify(e)).join('\n')), {}, mdmReaders);
    expect(mdmProblems(r)).toEqual([]);
    expect(
      r.facts.filter((f) => f.name === 'mdm.command.status').map((f) => [f.value, f.at, f.attrs?.command_uuid, f.source.kind === 'file' ? f.source.line : 0]),
    ).toEqual([
      ['Acknowledged', '2024-03-01T10:00:00.000Z', 'C-9', 1],
      ['NotNow', '2024-03-01T10:05:00.000Z', 'C-10', 2],
    ]);
  });
});
