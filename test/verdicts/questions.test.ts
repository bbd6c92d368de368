import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, file, logShow, MAGIC, nanoLib, nanoPush, questionIds, sysdiagnose, TOKEN, TOPIC, UDID_A } from './evidence.js';
import { shipped } from '../support/rules.js';

/**
 * Issue 8 item 7: ask nothing the evidence already answers. A question is
 * asked only while no fact (read, derived or answered) settles it, and the
 * case's own domain is asked about first.
 */

const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

describe("the token's environment", () => {
  // A provider log with APNs's BadDeviceToken: the classic question is which build made the token.
  const provider = file(
    'provider.log',
    `${[
      '2026-11-20T10:00:00.120Z INFO  apns: connecting to api.push.apple.com:443',
      '2026-11-20T10:00:03.552Z WARN  apns: push failed: 400 BadDeviceToken apns-id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d apns-topic=com.example.demo',
    ].join('\n')}\n`,
  );

  it('is asked when nothing says it', async () => {
    expect(questionIds(await diagnose(provider))).toContain('q.apns.token_environment');
  });

  it('is not asked when the signed app (codesign) states it', async () => {
    const r = await diagnose(provider, fixture('apns/codesign_dict_production.txt'));
    expect(r.facts.some((f: { fact: string; value: string }) => f.fact === 'apns.app_environment' && f.value === 'production')).toBe(true);
    expect(questionIds(r)).not.toContain('q.apns.token_environment');
  });

  it('is not asked when the provisioning profile the app was built with states it (aps-environment)', async () => {
    const r = await diagnose(provider, fixture('apns/enterprise_aps_production.mobileprovision'));
    const env = r.facts.filter((f: { fact: string }) => f.fact === 'apns.app_environment');
    expect(env.map((f: { value: string }) => f.value)).toEqual(['production']);
    expect(env[0].source).toContain('provisioning.aps_environment');
    expect(questionIds(r)).not.toContain('q.apns.token_environment');
  });
});

describe('is the MDM profile still installed?', () => {
  it('is not asked when the device just processed MDM commands (its own log)', async () => {
    const log = file(
      'mdmclient-commands.log',
      logShow([
        ['2024-05-07 10:01:12.004311+0200', 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Processing server request: DeviceInformation'],
        ['2024-05-07 10:01:12.933208+0200', 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Processing server request: InstalledApplicationList'],
      ]),
    );
    const r = await diagnose(log, '--topic', TOPIC);
    expect(questionIds(r)).not.toContain('q.mdm.enrolled');
    expect(r.facts.find((f: { fact: string }) => f.fact === 'device.mdm_enrolled')?.source).toMatch(
      /processed InstalledApplicationList .*so it held an MDM enrollment then/,
    );
  });

  it('is asked when nothing shows the device talking to the server', async () => {
    expect(questionIds(await diagnose('--topic', TOPIC))).toContain('q.mdm.enrolled');
  });

  it('is asked again when the device processed commands only before the failed push', async () => {
    const log = file(
      'mdmclient-old.log',
      logShow([['2024-05-05 10:01:12.004311+0200', 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Processing server request: DeviceInformation']]),
    );
    const server = file(
      'nanomdm.log',
      `${[...nanoPush(nanoLib, '2024-05-06T09:00:00', UDID_A), nanoLib('2024-05-06T09:30:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`)].join('\n')}\n`,
    );
    expect(questionIds(await diagnose(log, server, '--topic', TOPIC))).toContain('q.mdm.enrolled');
  });
});

describe('was the push sent right after enrollment?', () => {
  const server = file(
    'nanomdm-may.log',
    `${[...nanoPush(nanoLib, '2024-05-06T09:00:00', UDID_A), nanoLib('2024-05-06T09:30:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`)].join('\n')}\n`,
  );

  it('is not asked when the MDM profile was installed a year before the failed push', async () => {
    const bundle = sysdiagnose({ taken: '2024.05.06_10-00-00+0000', installed: '2023-05-02T10:00:00Z' });
    const r = await diagnose(bundle, server, '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN);
    expect(questionIds(r)).not.toContain('q.mdm.push_soon_after_enrollment');
    expect(r.causes.find((c: { id: string }) => c.id === 'mdm.enrollment_race').status).toBe('ruled_out');
  });

  it('is asked when the profile was installed just before the push', async () => {
    const bundle = sysdiagnose({ taken: '2024.05.06_10-00-00+0000', installed: '2024-05-06T08:59:59Z' });
    const r = await diagnose(bundle, server, '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN);
    expect(questionIds(r)).toContain('q.mdm.push_soon_after_enrollment');
  });
});

describe("the case's own domain is asked about first", () => {
  it('an MDM case with an app-push line beside it asks the MDM questions before the app-push ones', async () => {
    // A sysdiagnose (MDM) and, pasted along, one line of an app provider's log.
    const bundle = sysdiagnose({ taken: '2024.05.06_10-00-00+0000' });
    const r = await diagnose(
      bundle,
      '--paste',
      '2026-11-20T10:00:03.552Z WARN  apns: push failed: 400 BadDeviceToken apns-id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    );
    expect(r.domains).toEqual(expect.arrayContaining(['mdm', 'apns']));
    const rules = shipped();
    const domainOf = (id: string) => rules.questions.find((q) => q.id === id)?.domains ?? [];
    const ids = questionIds(r);
    const firstApp = ids.findIndex((id) => !domainOf(id).includes('mdm') && domainOf(id).includes('apns'));
    const lastMdm = ids.map((id) => domainOf(id).includes('mdm')).lastIndexOf(true);
    expect(firstApp).toBeGreaterThan(-1);
    expect(lastMdm).toBeLessThan(firstApp);
  });
});
