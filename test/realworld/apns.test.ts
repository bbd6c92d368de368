import { mkdtempSync, rmSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../src/facts/schema.js';
import { checkExpiredPushProfile, checkMissingEntitlement, checkProfileFacts, checkTruncatedProfile } from '../apns/profileChecks.js';
import { cli } from '../cli/helpers.js';
import { realworld } from './files.js';

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

const one = (facts: Fact[], name: string) => facts.find((f) => f.name === name);

describe('provisioning profiles from the real world, read as they are', () => {
  it('an Xcode team development profile: no aps-environment, one device, development kind', async () => {
    await checkProfileFacts(realworld('mobileprovision_dev_no_aps_environment.mobileprovision'), {
      'provisioning.push_entitlement': [false],
      'provisioning.aps_environment': [],
      'provisioning.expires': ['2018-08-11T18:51:01.000Z'],
      'provisioning.team_id': ['XAKE7QNQ2B'],
      'provisioning.app_id': ['XAKE7QNQ2B.com.neo.SingleEmpty'],
      'provisioning.devices': [1],
      'provisioning.kind': ['development'],
      'app.bundle_id': ['com.neo.SingleEmpty'],
    });
  });

  it('an enterprise profile with aps-environment production that expired in 2016', async () => {
    const path = realworld('mobileprovision_enterprise_aps_production.mobileprovision');
    const facts = await checkProfileFacts(path, {
      'provisioning.push_entitlement': [true],
      'provisioning.aps_environment': ['production'],
      'provisioning.expires': ['2016-06-24T11:17:08.000Z'],
      'provisioning.name': ['DIS APNS: com.TRDACMP.MutlLobby'],
      'provisioning.app_id_name': ['TRDACMP'],
      'provisioning.kind': ['enterprise'],
    });
    expect(one(facts, 'provisioning.push_entitlement')!.source).toEqual({ kind: 'file', input: path });
  });

  it('an enterprise profile without aps-environment, its Chinese name decoded', async () => {
    await checkProfileFacts(realworld('mobileprovision_enterprise_no_aps_environment.mobileprovision'), {
      'provisioning.push_entitlement': [false],
      'provisioning.name': ['红鸟游戏整合_企业发布'],
      'app.bundle_id': ['com.redbird.company.MixProject'],
    });
  });

  it('a truncated profile is a problem, not a crash', async () => {
    await checkTruncatedProfile(realworld('mobileprovision_enterprise_aps_production.mobileprovision'), tempDir('pushcheck-apns-'));
  });
});

describe('a provisioning profile without aps-environment', () => {
  for (const name of ['mobileprovision_enterprise_no_aps_environment.mobileprovision', 'mobileprovision_dev_no_aps_environment.mobileprovision']) {
    it(`${name}: the missing entitlement is confirmed, with the profile as evidence, and no MDM cause is listed`, async () => {
      await checkMissingEntitlement(realworld(name));
    });
  }

  it('the 2016 enterprise profile with aps-environment production: push-capable, but expired', async () => {
    await checkExpiredPushProfile(realworld('mobileprovision_enterprise_aps_production.mobileprovision'));
  });
});

describe('a real provisioning profile with the wrong extension is still read', () => {
  it.each(['embedded.txt', 'embedded'])('saved as %s: no aps-environment, so the missing entitlement is confirmed', async (name) => {
    const file = join(tempDir('pushcheck-qa-'), name);
    await copyFile(realworld('mobileprovision_dev_no_aps_environment.mobileprovision'), file);
    const report = JSON.parse((await cli('diagnose', file, '--format', 'json')).out);
    expect(report.facts).toContainEqual(expect.objectContaining({ fact: 'provisioning.push_entitlement', value: false }));
    expect(report.causes.find((c: { id: string }) => c.id === 'apns.missing_entitlement')?.status).toBe('confirmed');
    expect(report.problems.filter((p: { code: string }) => p.code.startsWith('plist.'))).toEqual([]);
  });
});
