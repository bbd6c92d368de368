import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../src/engine/diagnose.js';
import { loadRules } from '../../src/engine/loadRules.js';
import { parsePlist } from '../../src/evidence/plist/index.js';
import type { ReadResult } from '../../src/evidence/types.js';
import { mdmProblems, only, read, readFixture, values } from '../mdm-readers/helpers.js';
import { readReal, realworld } from './helpers.js';

const TOPIC = 'com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9';

describe('real check-ins as MDM servers store them (micromdm/nanomdm test data)', () => {
  it('an iPad Authenticate names the device and the com.apple.mgmt. topic the server was given', async () => {
    const r = await readReal('nanomdm_checkin_Authenticate_iOS9_iPad.plist');
    expect(mdmProblems(r)).toEqual([]);
    const auth = only(r, 'mdm.checkin.authenticate');
    expect(auth.value).toBe(true);
    expect(auth.at).toBeUndefined(); // a stored message carries no time of its own
    expect(auth.attrs).toMatchObject({ channel: 'device', udid: '663b07bb783e9ade1dae4fbb92ea12afc0ce5b69', topic: TOPIC, platform: 'ipados' });
    // The Topic a check-in carries is the one the device enrolled with, as the server stored it (issue 8 item 4).
    expect(only(r, 'server.enrolled_topic').value).toBe(TOPIC);
    expect(String(only(r, 'server.enrolled_topic').value).startsWith('com.apple.mgmt.')).toBe(true);
    expect(values(r, 'server.topic')).toEqual([]);
    expect(only(r, 'device.model').value).toBe('iPad2,5');
    expect(only(r, 'device.os_version').value).toBe('9.3.5');
    expect(only(r, 'device.os_build').value).toBe('13G36');
    expect(only(r, 'device.serial').value).toBe('F5JM992LF193');
    // Provenance: the line of <key>Topic</key> in the file.
    expect(only(r, 'server.enrolled_topic').source).toEqual({ kind: 'file', input: 'nanomdm_checkin_Authenticate_iOS9_iPad.plist', line: 15 });
  });

  it('a macOS Authenticate is the Mac variant with the same topic', async () => {
    const r = await readReal('nanomdm_checkin_Authenticate_macOS10.12.plist');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'mdm.checkin.authenticate').attrs).toMatchObject({ platform: 'macos', udid: '66ADE930-5FDF-5EC4-8429-15640684C489' });
    expect(only(r, 'server.enrolled_topic').value).toBe(TOPIC);
    expect(only(r, 'device.model').value).toBe('iMac14,2');
    expect(only(r, 'device.platform').value).toBe('macos');
    expect(only(r, 'device.os_build').value).toBe('16G2136');
  });

  it('TokenUpdate.1 gives the enrolled topic, the server-side PushMagic and the 32-byte token as 64 hex digits', async () => {
    const r = await readReal('nanomdm_checkin_TokenUpdate_with_UnlockToken.plist');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'mdm.checkin.token_update').attrs).toMatchObject({ channel: 'device', udid: '663b07bb783e9ade1dae4fbb92ea12afc0ce5b69' });
    expect(only(r, 'server.enrolled_topic').value).toBe(TOPIC);
    expect(only(r, 'server.push_magic').value).toBe('CEFDF0BD-E342-4A27-8742-E930EA116B0A');
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
    const r = await readReal('nanomdm_checkin_TokenUpdate_macOS.plist');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'server.push_token').value).toBe('1ba7c90066c50f77689a24f3a425caf68a300f729e88e460a9416022d5d642cc');
    expect(only(r, 'server.push_magic').value).toBe('888CEB39-BFFA-40F6-89FA-B60752EB63C2');
    expect(only(r, 'server.unlock_token_present').value).toBe(false);
  });

  it('DeviceInformation Acknowledged: the device reached the server and processes commands', async () => {
    const r = await readReal('nanomdm_cmdresult_DeviceInformation_Acknowledged.plist');
    expect(mdmProblems(r)).toEqual([]);
    const s = only(r, 'mdm.command.status');
    expect(s.value).toBe('Acknowledged');
    expect(s.attrs).toEqual({
      command_uuid: '76eda240-5488-4989-8339-f2ae160113c4',
      request_type: 'DeviceInformation',
      udid: '66ADE930-5FDF-5EC4-8429-15640684C489',
      channel: 'device',
    });
    expect(values(r, 'mdm.command.error')).toEqual([]);
  });

  it('an Error result with an ErrorChain: the command reached the device and failed there (NSOSStatus -909)', async () => {
    const r = await readReal('nanocmd_cmdresponse_Error_NSOSStatus-909.plist');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'mdm.command.status')).toMatchObject({ value: 'Error', attrs: { command_uuid: 'D053EE3A-EE0E-4E82-87D2-BB3624186694', channel: 'device' } });
    const err = only(r, 'mdm.command.error');
    expect(err.value).toBe('<NSOSStatusErrorDomain:-909>');
    expect(err.attrs).toMatchObject({ code: '-909', domain: 'NSOSStatusErrorDomain', command_uuid: 'D053EE3A-EE0E-4E82-87D2-BB3624186694' });
    expect(err.source).toMatchObject({ line: 14 });
  });

  it('the MicroMDM webhook: raw_payload decoded, created_at becomes the time of the TokenUpdate', async () => {
    const r = await readReal('micromdm_webhook_TokenUpdate_event.json');
    expect(mdmProblems(r)).toEqual([]);
    const tu = only(r, 'mdm.checkin.token_update');
    expect(tu.at).toBe('2023-05-24T21:28:06.253Z');
    expect(tu.attrs).toMatchObject({ udid: 'FF269FDC-7A93-5F12-A4B7-09923F0D1F7F' });
    expect(tu.source).toEqual({ kind: 'file', input: 'micromdm_webhook_TokenUpdate_event.json', line: 8 });
    expect(only(r, 'server.enrolled_topic').value).toBe('com.apple.mgmt.External.e1bd1eac-1217-4c8e-8a67-dd17d3dd35d9');
    expect(only(r, 'server.push_magic').value).toBe('04EAC351-56EA-4FFF-89A7-C76B1306F36A');
    expect(only(r, 'server.push_token').value).toBe('bca48433019af44ddb29d3e69a859f692c2ade043b429f92027172ae9926c9a4');
    expect(only(r, 'server.push_token').at).toBe('2023-05-24T21:28:06.253Z');
  });

  it('blog fragments (not whole plists) do not crash; the Error status and both error chains are read', async () => {
    const r = await readReal('micromdm_blog_cmdresponse_Error_ScheduleOSUpdate_fragments.txt');
    expect(mdmProblems(r)).toEqual([]);
    expect(values(r, 'mdm.command.status')).toEqual(['Error']);
    const errors = r.facts.filter((f) => f.name === 'mdm.command.error');
    expect(errors.map((e) => [e.attrs?.domain, e.attrs?.code])).toEqual([
      ['MDMClientError', '74'],
      ['MCMDMErrorDomain', '12008'],
    ]);
    expect(errors[0].value).toBe('Command requires DEP enrollment: ScheduleOSUpdate <MDMClientError:74>');
    // Lines point into the file, not into the wrapped fragment.
    expect(errors.map((e) => (e.source.kind === 'file' ? e.source.line : 0))).toEqual([9, 24]);
  });

  it('the nanomdm enrollment template: its topic and URLs are flagged as placeholders, the topic kept as it is', async () => {
    const r = await readReal('nanomdm_enroll.mobileconfig');
    expect(mdmProblems(r)).toEqual([]);
    expect(only(r, 'profile.topic').value).toBe('com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE');
    expect(only(r, 'profile.server_url').value).toBe('https://mdm.example.org/mdm');
    expect(only(r, 'profile.signed').value).toBe(false);
    const ph = r.facts.filter((f) => f.name === 'profile.placeholder');
    expect(ph.map((f) => f.attrs?.key).sort()).toEqual(['Challenge', 'ServerURL', 'Topic', 'URL']);
    expect(ph.find((f) => f.attrs?.key === 'Topic')?.value).toBe('com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE');
    expect(ph.find((f) => f.attrs?.key === 'Topic')?.source).toMatchObject({ line: 55 });
    // An enrollment profile is not the device's state.
    expect(values(r, 'device.topic')).toEqual([]);
  });

  it('provisioning profiles (CMS-signed) parse, and the MDM readers leave them to the app-push readers', async () => {
    for (const name of [
      'mobileprovision_enterprise_aps_production.mobileprovision',
      'mobileprovision_enterprise_no_aps_environment.mobileprovision',
      'mobileprovision_dev_no_aps_environment.mobileprovision',
    ]) {
      const parsed = parsePlist(readFileSync(realworld(name)));
      expect(parsed.ok, name).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.signed).toBe(true);
      expect(parsed.format).toBe('xml');
      const ents = (parsed.value as Record<string, Record<string, unknown>>).Entitlements;
      expect(ents['aps-environment'], name).toBe(name.includes('aps_production') ? 'production' : undefined);
      const r = await readReal(name);
      expect(mdmProblems(r).filter((p) => p.code.startsWith('plist.') || p.code.startsWith('mdm.'))).toEqual([]);
      expect(r.facts.filter((f) => /^(device|server|profile|mdm)\./.test(f.name) && !f.name.startsWith('device.log'))).toEqual([]);
    }
  });

  it('the token of TokenUpdate.1 hashes to what a device with that token would keep as LastPushTokenHash', async () => {
    const r = await readReal('nanomdm_checkin_TokenUpdate_with_UnlockToken.plist');
    const hash = createHash('sha256').update(Buffer.from(String(only(r, 'server.push_token').value), 'hex')).digest('hex');
    expect(hash).toBe('0a9f28fd74bf39c4cbdd7d0acb30a6598b40160d5ffe3c6de3bf319ec262bbbd');
  });
});

describe("the device's MDM.plist against the TokenUpdate the server stored (real check-in)", () => {
  const status = (d: Diagnosis, id: string) => d.causes.find((c) => c.cause.id === id)?.status;
  const run = (...inputs: ReadResult[]) => diagnose({ facts: inputs.flatMap((r) => r.facts), problems: inputs.flatMap((r) => r.problems) }, loadRules());

  // Issue 8 item 4 changed the topic half: a check-in's Topic is the topic the device enrolled with, not
  // proof of the topic the server pushes on, so the topic stays open and the server's push topic is asked for.
  it('same token (hash), another PushMagic: wrong magic confirmed, token ruled out; the push topic is asked for', async () => {
    const device = await readFixture('MDM.plist', { input: 'sysdiagnose.tar.gz', member: 'x/logs/MCState/Shared/MDM.plist' });
    const server = await readReal('nanomdm_checkin_TokenUpdate_with_UnlockToken.plist');
    expect([...device.problems, ...server.problems]).toEqual([]);
    const diagnosis = run(device, server);
    expect(status(diagnosis, 'mdm.wrong_magic')).toBe('confirmed');
    expect(status(diagnosis, 'mdm.wrong_token')).toBe('ruled_out');
    expect(status(diagnosis, 'mdm.wrong_topic')).toBe('open');
    expect(diagnosis.questions.map((q) => q.question.id)).toContain('q.mdm.server_topic');
  });

  it('the nanomdm template as the enrollment profile: the placeholder topic is reported', async () => {
    const d = run(await readReal('nanomdm_enroll.mobileconfig'));
    const topicCause = d.causes.find((c) => c.cause.id === 'mdm.wrong_topic');
    expect(topicCause?.decided.map((r) => r.rule.id).join(' ')).toMatch(/placeholder/);
  });
});

describe('real plists damaged on the way', () => {
  it('XML cut off half way (a truncated download)', async () => {
    const whole = readFileSync(realworld('nanomdm_checkin_TokenUpdate_with_UnlockToken.plist'));
    const r = await read('TokenUpdate.plist', whole.subarray(0, Math.floor(whole.length / 2)));
    expect(r.facts).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['plist.truncated']);
    expect(r.problems[0].message).toMatch(/cut off/);
  });

  it('a topic without the com.apple.mgmt. prefix and {{…}} / CHANGEME values are kept as they are and flagged', async () => {
    const xml = readFileSync(realworld('nanomdm_enroll.mobileconfig'), 'utf8')
      .replace('com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE', 'com.acme.push')
      .replace('https://mdm.example.org/mdm', 'https://{{ mdm_host }}/mdm')
      .replace('SCEP-CHALLENGE-HERE', 'CHANGEME');
    const r = await read('enroll.mobileconfig', Buffer.from(xml));
    expect(only(r, 'profile.topic').value).toBe('com.acme.push');
    const ph = Object.fromEntries(r.facts.filter((f) => f.name === 'profile.placeholder').map((f) => [f.attrs?.key, f.value]));
    expect(ph).toEqual({ Challenge: 'CHANGEME', URL: 'https://mdm.example.org/scep', ServerURL: 'https://{{ mdm_host }}/mdm' });
  });
});
