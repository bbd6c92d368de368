import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePlist } from '../../src/evidence/plist/index.js';
import { mdmProblems, only, read, values } from './helpers.js';

/**
 * What MDM servers keep of a device: check-ins and command results as they
 * store them, a MicroMDM webhook, fragments pasted from a vendor's reply and
 * an enrollment template. (Inputs written for these tests; the same checks on
 * files written by others run in `npm run test:realworld`.)
 */
const TOPIC = 'com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9';
const server = (name: string) => new URL(`../fixtures/mdm/server/${name}`, import.meta.url);
const apns = (name: string) => new URL(`../fixtures/apns/${name}`, import.meta.url);
const readServer = (name: string) => read(name, readFileSync(server(name)));

describe('check-ins as MDM servers store them', () => {
  it('an iPad Authenticate names the device and the com.apple.mgmt. topic the server was given', async () => {
    const r = await readServer('Authenticate_iPad.plist');
    expect(mdmProblems(r)).toEqual([]);
    const auth = only(r, 'mdm.checkin.authenticate');
    expect(auth.value).toBe(true);
    expect(auth.at).toBeUndefined(); // a stored message carries no time of its own
    expect(auth.attrs).toMatchObject({ channel: 'device', udid: '00008103-001A2B3C0E91801E', topic: TOPIC, platform: 'ipados' });
    // The Topic a check-in carries is the one the device enrolled with, as the server stored it (issue 8 item 4).
    expect(only(r, 'server.enrolled_topic').value).toBe(TOPIC);
    expect(String(only(r, 'server.enrolled_topic').value).startsWith('com.apple.mgmt.')).toBe(true);
    expect(values(r, 'server.topic')).toEqual([]);
    expect(only(r, 'device.model').value).toBe('iPad13,18');
    expect(only(r, 'device.os_version').value).toBe('17.5.1');
    expect(only(r, 'device.os_build').value).toBe('21F90');
    expect(only(r, 'device.serial').value).toBe('DMPXK41Q7H2C');
    // Provenance: the line of <key>Topic</key> in the file.
    expect(only(r, 'server.enrolled_topic').source).toEqual({ kind: 'file', input: 'Authenticate_iPad.plist', line: 17 });
  });

  it('a macOS Authenticate is the Mac variant with the same topic', async () => {
    const r = await readServer('Authenticate_Mac.plist');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'mdm.checkin.authenticate').attrs).toMatchObject({ platform: 'macos', udid: '5D3F1A2B-8C4E-5F60-9A7B-1C2D3E4F5A6B' });
    expect(only(r, 'server.enrolled_topic').value).toBe(TOPIC);
    expect(only(r, 'device.model').value).toBe('Mac14,2');
    expect(only(r, 'device.platform').value).toBe('macos');
    expect(only(r, 'device.os_build').value).toBe('23F79');
  });

  it("an iPhone's TokenUpdate gives the enrolled topic, the server-side PushMagic and the 32-byte token as 64 hex digits", async () => {
    const r = await readServer('TokenUpdate_iPhone.plist');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'mdm.checkin.token_update').attrs).toMatchObject({ channel: 'device', udid: '00008110-000A1C2E3F40801E' });
    expect(only(r, 'server.enrolled_topic').value).toBe(TOPIC);
    expect(only(r, 'server.push_magic').value).toBe('9E47B2D1-3C5A-4F08-B6E2-7D19A0C4F385');
    const token = only(r, 'server.push_token');
    expect(token.value).toBe('47e8eec062c2f729ec1703c1b3e18f1971d85f00be76445d34080baa701b5f51');
    expect(token.value).toBe(Buffer.from('R+juwGLC9ynsFwPBs+GPGXHYXwC+dkRdNAgLqnAbX1E=', 'base64').toString('hex'));
    expect(token.source).toMatchObject({ line: 11 });
    expect(only(r, 'server.unlock_token_present').value).toBe(true);
    // The device-side push identity is not invented from a server-side record.
    expect(values(r, 'device.push_magic')).toEqual([]);
    expect(values(r, 'device.push_token_hash')).toEqual([]);
  });

  it('the macOS TokenUpdate has its own token and no UnlockToken', async () => {
    const r = await readServer('TokenUpdate_Mac.plist');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'server.push_token').value).toBe('762bbef7e8a9f566fa2d941586479f3e1b69d5ac8aae787a0ceb9f8f2130cf94');
    expect(only(r, 'server.push_magic').value).toBe('B81F4C62-0D7E-4A93-8E15-62C3F9A7D0E4');
    expect(only(r, 'server.unlock_token_present').value).toBe(false);
  });

  it("the iPhone's token hashes to what the device keeps as LastPushTokenHash (fixtures/mdm/MDM.plist)", async () => {
    const r = await readServer('TokenUpdate_iPhone.plist');
    const hash = createHash('sha256').update(Buffer.from(String(only(r, 'server.push_token').value), 'hex')).digest('hex');
    expect(hash).toBe('0a9f28fd74bf39c4cbdd7d0acb30a6598b40160d5ffe3c6de3bf319ec262bbbd');
  });
});

describe('command results as MDM servers store them', () => {
  it('DeviceInformation Acknowledged: the device reached the server and processes commands', async () => {
    const r = await readServer('DeviceInformation_Acknowledged.plist');
    expect(mdmProblems(r)).toEqual([]);
    const s = only(r, 'mdm.command.status');
    expect(s.value).toBe('Acknowledged');
    expect(s.attrs).toEqual({
      command_uuid: '3b9f5c1e-2a47-4d8b-9e60-71c2f0a4d815',
      request_type: 'DeviceInformation',
      udid: '5D3F1A2B-8C4E-5F60-9A7B-1C2D3E4F5A6B',
      channel: 'device',
    });
    expect(values(r, 'mdm.command.error')).toEqual([]);
  });

  it('an Error result with a two-step ErrorChain: the command reached the device and failed there', async () => {
    const r = await readServer('InstallProfile_Error.plist');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'mdm.command.status')).toMatchObject({ value: 'Error', attrs: { command_uuid: 'A6C0D2E4-5B17-4F39-8D2A-0C6E4B1F7A93', channel: 'device' } });
    const errors = r.facts.filter((f) => f.name === 'mdm.command.error');
    expect(errors.map((e) => e.value)).toEqual(['Profile Installation Failed', '<NSOSStatusErrorDomain:-25299>']);
    expect(errors[1].attrs).toMatchObject({ code: '-25299', domain: 'NSOSStatusErrorDomain', command_uuid: 'A6C0D2E4-5B17-4F39-8D2A-0C6E4B1F7A93' });
    expect(errors.map((e) => e.source)).toEqual([expect.objectContaining({ line: 14 }), expect.objectContaining({ line: 22 })]);
  });

  it('the MicroMDM webhook: raw_payload decoded, created_at (with its offset) becomes the time of the TokenUpdate', async () => {
    const r = await readServer('webhook_TokenUpdate.json');
    expect(mdmProblems(r)).toEqual([]);
    const tu = only(r, 'mdm.checkin.token_update');
    expect(tu.at).toBe('2024-06-11T07:41:27.518Z');
    expect(tu.attrs).toMatchObject({ udid: '0B4C7E21-96AD-5F38-B2E0-4D1A7C9F3E58' });
    expect(tu.source).toEqual({ kind: 'file', input: 'webhook_TokenUpdate.json', line: 8 });
    expect(only(r, 'server.enrolled_topic').value).toBe('com.apple.mgmt.External.7c2e9a40-5b13-4d6f-9e82-a04c1b3d5f67');
    expect(only(r, 'server.push_magic').value).toBe('2D6E8A41-F3B7-4C09-A5D2-8E1B7F06C934');
    expect(only(r, 'server.push_token').value).toBe('3127f7edf09f37ec3d4aba332d8690f7dd30a6cc2e456f8101ea4c941b04d354');
    expect(only(r, 'server.push_token').at).toBe('2024-06-11T07:41:27.518Z');
  });

  it('fragments pasted from a support reply (not whole plists) do not crash; the Error status and both error chains are read', async () => {
    const r = await readServer('cmdresponse_fragments.txt');
    expect(mdmProblems(r)).toEqual([]);
    expect(values(r, 'mdm.command.status')).toEqual(['Error']);
    const errors = r.facts.filter((f) => f.name === 'mdm.command.error');
    expect(errors.map((e) => [e.attrs?.domain, e.attrs?.code])).toEqual([
      ['MCMDMErrorDomain', '12064'],
      ['ASDErrorDomain', '1012'],
    ]);
    expect(errors[0].value).toBe('The app could not be installed because no licence is assigned <MCMDMErrorDomain:12064>');
    // Lines point into the file, not into the wrapped fragment.
    expect(errors.map((e) => (e.source.kind === 'file' ? e.source.line : 0))).toEqual([13, 28]);
  });
});

describe('an enrollment template and provisioning profiles', () => {
  it('the enrollment template: its topic and URLs are flagged as placeholders, the topic kept as it is', async () => {
    const r = await readServer('enroll_template.mobileconfig');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'profile.topic').value).toBe('com.apple.mgmt.External.YOUR-TOPIC-HERE');
    expect(only(r, 'profile.server_url').value).toBe('https://mdm.example.com/mdm');
    expect(only(r, 'profile.signed').value).toBe(false);
    const ph = r.facts.filter((f) => f.name === 'profile.placeholder');
    expect(ph.map((f) => f.attrs?.key).sort()).toEqual(['Challenge', 'CheckInURL', 'ServerURL', 'Topic', 'URL']);
    expect(ph.find((f) => f.attrs?.key === 'Topic')?.value).toBe('com.apple.mgmt.External.YOUR-TOPIC-HERE');
    expect(ph.find((f) => f.attrs?.key === 'Topic')?.source).toMatchObject({ line: 60 });
    // An enrollment profile is not the device's state.
    expect(values(r, 'device.topic')).toEqual([]);
  });

  it('provisioning profiles (CMS-signed) parse, and the MDM readers leave them to the app-push readers', async () => {
    for (const name of ['enterprise_aps_production.mobileprovision', 'enterprise_no_aps.mobileprovision', 'dev_no_aps.mobileprovision']) {
      const parsed = parsePlist(readFileSync(fileURLToPath(apns(name))));
      expect(parsed.ok, name).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.signed).toBe(true);
      expect(parsed.format).toBe('xml');
      const ents = (parsed.value as Record<string, Record<string, unknown>>).Entitlements;
      expect(ents['aps-environment'], name).toBe(name.includes('aps_production') ? 'production' : undefined);
      const r = await read(name, readFileSync(apns(name)));
      expect(mdmProblems(r).filter((p) => p.code.startsWith('plist.') || p.code.startsWith('mdm.'))).toEqual([]);
      expect(r.facts.filter((f) => /^(device|server|profile|mdm)\./.test(f.name) && !f.name.startsWith('device.log'))).toEqual([]);
    }
  });
});
