import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mdmProblems, only, read } from './helpers.js';
import {
  checkAcknowledged,
  checkAuthenticate,
  checkFragments,
  checkProvisioningProfile,
  checkTemplate,
  checkTokenUpdate,
  checkWebhook,
  tokenHash,
  type DeviceWant,
} from './serverRecordChecks.js';

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
const TOKEN = '47e8eec062c2f729ec1703c1b3e18f1971d85f00be76445d34080baa701b5f51';
const IPAD: DeviceWant = {
  udid: '00008103-001A2B3C0E91801E',
  platform: 'ipados',
  model: 'iPad13,18',
  osVersion: '17.5.1',
  osBuild: '21F90',
  serial: 'DMPXK41Q7H2C',
};
const MAC: DeviceWant = { udid: '5D3F1A2B-8C4E-5F60-9A7B-1C2D3E4F5A6B', platform: 'macos', model: 'Mac14,2', osBuild: '23F79' };

describe('check-ins as MDM servers store them', () => {
  it('an iPad Authenticate names the device and the com.apple.mgmt. topic the server was given', async () => {
    checkAuthenticate(await readServer('Authenticate_iPad.plist'), TOPIC, IPAD, { input: 'Authenticate_iPad.plist', line: 17 });
  });

  it('a macOS Authenticate is the Mac variant with the same topic', async () => {
    checkAuthenticate(await readServer('Authenticate_Mac.plist'), TOPIC, MAC);
  });

  it("an iPhone's TokenUpdate gives the enrolled topic, the server-side PushMagic and the 32-byte token as 64 hex digits", async () => {
    const r = await readServer('TokenUpdate_iPhone.plist');
    checkTokenUpdate(r, {
      udid: '00008110-000A1C2E3F40801E',
      topic: TOPIC,
      magic: '9E47B2D1-3C5A-4F08-B6E2-7D19A0C4F385',
      token: TOKEN,
      tokenLine: 11,
      unlockToken: true,
    });
    expect(only(r, 'server.push_token').value).toBe(Buffer.from('R+juwGLC9ynsFwPBs+GPGXHYXwC+dkRdNAgLqnAbX1E=', 'base64').toString('hex'));
  });

  it('the macOS TokenUpdate has its own token and no UnlockToken', async () => {
    const r = await readServer('TokenUpdate_Mac.plist');
    checkTokenUpdate(r, {
      magic: 'B81F4C62-0D7E-4A93-8E15-62C3F9A7D0E4',
      token: '762bbef7e8a9f566fa2d941586479f3e1b69d5ac8aae787a0ceb9f8f2130cf94',
      unlockToken: false,
    });
  });

  it("the iPhone's token hashes to what the device keeps as LastPushTokenHash (fixtures/mdm/MDM.plist)", async () => {
    expect(tokenHash(await readServer('TokenUpdate_iPhone.plist'))).toBe('0a9f28fd74bf39c4cbdd7d0acb30a6598b40160d5ffe3c6de3bf319ec262bbbd');
  });
});

describe('command results as MDM servers store them', () => {
  it('DeviceInformation Acknowledged: the device reached the server and processes commands', async () => {
    checkAcknowledged(await readServer('DeviceInformation_Acknowledged.plist'), {
      command_uuid: '3b9f5c1e-2a47-4d8b-9e60-71c2f0a4d815',
      request_type: 'DeviceInformation',
      udid: '5D3F1A2B-8C4E-5F60-9A7B-1C2D3E4F5A6B',
    });
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
    checkWebhook(await readServer('webhook_TokenUpdate.json'), 'webhook_TokenUpdate.json', {
      at: '2024-06-11T07:41:27.518Z',
      udid: '0B4C7E21-96AD-5F38-B2E0-4D1A7C9F3E58',
      topic: 'com.apple.mgmt.External.7c2e9a40-5b13-4d6f-9e82-a04c1b3d5f67',
      magic: '2D6E8A41-F3B7-4C09-A5D2-8E1B7F06C934',
      token: '3127f7edf09f37ec3d4aba332d8690f7dd30a6cc2e456f8101ea4c941b04d354',
    });
  });

  it('fragments pasted from a support reply (not whole plists) do not crash; the Error status and both error chains are read', async () => {
    checkFragments(await readServer('cmdresponse_fragments.txt'), {
      errors: [
        ['MCMDMErrorDomain', '12064'],
        ['ASDErrorDomain', '1012'],
      ],
      first: 'The app could not be installed because no licence is assigned <MCMDMErrorDomain:12064>',
      lines: [13, 28],
    });
  });
});

describe('an enrollment template and provisioning profiles', () => {
  it('the enrollment template: its topic and URLs are flagged as placeholders, the topic kept as it is', async () => {
    checkTemplate(await readServer('enroll_template.mobileconfig'), {
      topic: 'com.apple.mgmt.External.YOUR-TOPIC-HERE',
      serverUrl: 'https://mdm.example.com/mdm',
      placeholders: ['Challenge', 'CheckInURL', 'ServerURL', 'Topic', 'URL'],
      topicLine: 60,
    });
  });

  it('provisioning profiles (CMS-signed) parse, and the MDM readers leave them to the app-push readers', async () => {
    for (const name of ['enterprise_aps_production.mobileprovision', 'enterprise_no_aps.mobileprovision', 'dev_no_aps.mobileprovision']) {
      const bytes = readFileSync(apns(name));
      checkProvisioningProfile(name, bytes, await read(name, bytes));
    }
  });
});
