import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../src/engine/diagnose.js';
import { loadRules } from '../../src/engine/loadRules.js';
import type { ReadResult } from '../../src/evidence/types.js';
import { mdmProblems, only, read, readFixture } from '../mdm-readers/helpers.js';
import {
  checkAcknowledged,
  checkAuthenticate,
  checkFragments,
  checkProvisioningProfile,
  checkTemplate,
  checkTokenUpdate,
  checkWebhook,
  tokenHash,
} from '../mdm-readers/serverRecordChecks.js';
import { readReal, realworld } from './helpers.js';

const TOPIC = 'com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9';
const TOKEN = '47e8eec062c2f729ec1703c1b3e18f1971d85f00be76445d34080baa701b5f51';

describe('real check-ins as MDM servers store them (micromdm/nanomdm test data)', () => {
  it('an iPad Authenticate names the device and the com.apple.mgmt. topic the server was given', async () => {
    const input = 'nanomdm_checkin_Authenticate_iOS9_iPad.plist';
    checkAuthenticate(
      await readReal(input),
      TOPIC,
      { udid: '663b07bb783e9ade1dae4fbb92ea12afc0ce5b69', platform: 'ipados', model: 'iPad2,5', osVersion: '9.3.5', osBuild: '13G36', serial: 'F5JM992LF193' },
      { input, line: 15 },
    );
  });

  it('a macOS Authenticate is the Mac variant with the same topic', async () => {
    checkAuthenticate(await readReal('nanomdm_checkin_Authenticate_macOS10.12.plist'), TOPIC, {
      udid: '66ADE930-5FDF-5EC4-8429-15640684C489',
      platform: 'macos',
      model: 'iMac14,2',
      osBuild: '16G2136',
    });
  });

  it('TokenUpdate.1 gives the enrolled topic, the server-side PushMagic and the 32-byte token as 64 hex digits', async () => {
    const r = await readReal('nanomdm_checkin_TokenUpdate_with_UnlockToken.plist');
    checkTokenUpdate(r, {
      udid: '663b07bb783e9ade1dae4fbb92ea12afc0ce5b69',
      topic: TOPIC,
      magic: 'CEFDF0BD-E342-4A27-8742-E930EA116B0A',
      token: TOKEN,
      tokenLine: 11,
      unlockToken: true,
    });
    expect(only(r, 'server.push_token').value).toBe(Buffer.from('R+juwGLC9ynsFwPBs+GPGXHYXwC+dkRdNAgLqnAbX1E=', 'base64').toString('hex'));
  });

  it('the macOS TokenUpdate has its own token and no UnlockToken', async () => {
    checkTokenUpdate(await readReal('nanomdm_checkin_TokenUpdate_macOS.plist'), {
      magic: '888CEB39-BFFA-40F6-89FA-B60752EB63C2',
      token: '1ba7c90066c50f77689a24f3a425caf68a300f729e88e460a9416022d5d642cc',
      unlockToken: false,
    });
  });

  it('DeviceInformation Acknowledged: the device reached the server and processes commands', async () => {
    checkAcknowledged(await readReal('nanomdm_cmdresult_DeviceInformation_Acknowledged.plist'), {
      command_uuid: '76eda240-5488-4989-8339-f2ae160113c4',
      request_type: 'DeviceInformation',
      udid: '66ADE930-5FDF-5EC4-8429-15640684C489',
    });
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
    const input = 'micromdm_webhook_TokenUpdate_event.json';
    checkWebhook(await readReal(input), input, {
      at: '2023-05-24T21:28:06.253Z',
      udid: 'FF269FDC-7A93-5F12-A4B7-09923F0D1F7F',
      topic: 'com.apple.mgmt.External.e1bd1eac-1217-4c8e-8a67-dd17d3dd35d9',
      magic: '04EAC351-56EA-4FFF-89A7-C76B1306F36A',
      token: 'bca48433019af44ddb29d3e69a859f692c2ade043b429f92027172ae9926c9a4',
    });
  });

  it('blog fragments (not whole plists) do not crash; the Error status and both error chains are read', async () => {
    checkFragments(await readReal('micromdm_blog_cmdresponse_Error_ScheduleOSUpdate_fragments.txt'), {
      errors: [
        ['MDMClientError', '74'],
        ['MCMDMErrorDomain', '12008'],
      ],
      first: 'Command requires DEP enrollment: ScheduleOSUpdate <MDMClientError:74>',
      lines: [9, 24],
    });
  });

  it('the nanomdm enrollment template: its topic and URLs are flagged as placeholders, the topic kept as it is', async () => {
    checkTemplate(await readReal('nanomdm_enroll.mobileconfig'), {
      topic: 'com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE',
      serverUrl: 'https://mdm.example.org/mdm',
      placeholders: ['Challenge', 'ServerURL', 'Topic', 'URL'],
      topicLine: 55,
    });
  });

  it('provisioning profiles (CMS-signed) parse, and the MDM readers leave them to the app-push readers', async () => {
    for (const name of [
      'mobileprovision_enterprise_aps_production.mobileprovision',
      'mobileprovision_enterprise_no_aps_environment.mobileprovision',
      'mobileprovision_dev_no_aps_environment.mobileprovision',
    ])
      checkProvisioningProfile(name, readFileSync(realworld(name)), await readReal(name));
  });

  it('the token of TokenUpdate.1 hashes to what a device with that token would keep as LastPushTokenHash', async () => {
    expect(tokenHash(await readReal('nanomdm_checkin_TokenUpdate_with_UnlockToken.plist'))).toBe(
      '0a9f28fd74bf39c4cbdd7d0acb30a6598b40160d5ffe3c6de3bf319ec262bbbd',
    );
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
