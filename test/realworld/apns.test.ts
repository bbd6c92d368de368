import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { loadRules } from '../../src/engine/loadRules.js';
import { readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS, type ReadResult } from '../../src/evidence/types.js';
import type { Fact } from '../../src/facts/schema.js';
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

const ctx = { limits: DEFAULT_LIMITS };
const rules = loadRules();
const values = (facts: Fact[], name: string) => facts.filter((f) => f.name === name).map((f) => f.value);
const one = (facts: Fact[], name: string) => facts.find((f) => f.name === name);
const NOW: Fact = { name: 'case.now', value: '2026-11-20T12:00:00.000Z', source: { kind: 'pasted', input: '--now' } };
function diagnoseRead(r: ReadResult, extra: Fact[] = []) {
  return diagnose({ facts: [...r.facts, ...extra], problems: r.problems, answers: [] }, rules);
}
const status = (d: ReturnType<typeof diagnose>, id: string) => d.causes.find((c) => c.cause.id === id)?.status;

describe('provisioning profiles from the real world, read as they are', () => {
  it('an Xcode team development profile: no aps-environment, one device, development kind', async () => {
    const r = await readPath(realworld('mobileprovision_dev_no_aps_environment.mobileprovision'), ctx);
    expect(r.problems).toEqual([]);
    expect(values(r.facts, 'provisioning.push_entitlement')).toEqual([false]);
    expect(values(r.facts, 'provisioning.aps_environment')).toEqual([]);
    expect(values(r.facts, 'provisioning.expires')).toEqual(['2018-08-11T18:51:01.000Z']);
    expect(values(r.facts, 'provisioning.team_id')).toEqual(['XAKE7QNQ2B']);
    expect(values(r.facts, 'provisioning.app_id')).toEqual(['XAKE7QNQ2B.com.neo.SingleEmpty']);
    expect(values(r.facts, 'provisioning.devices')).toEqual([1]);
    expect(values(r.facts, 'provisioning.kind')).toEqual(['development']);
    expect(values(r.facts, 'app.bundle_id')).toEqual(['com.neo.SingleEmpty']);
  });

  it('an enterprise profile with aps-environment production that expired in 2016', async () => {
    const r = await readPath(realworld('mobileprovision_enterprise_aps_production.mobileprovision'), ctx);
    expect(r.problems).toEqual([]);
    expect(values(r.facts, 'provisioning.push_entitlement')).toEqual([true]);
    expect(values(r.facts, 'provisioning.aps_environment')).toEqual(['production']);
    expect(values(r.facts, 'provisioning.expires')).toEqual(['2016-06-24T11:17:08.000Z']);
    expect(values(r.facts, 'provisioning.name')).toEqual(['DIS APNS: com.TRDACMP.MutlLobby']);
    expect(values(r.facts, 'provisioning.app_id_name')).toEqual(['TRDACMP']);
    expect(values(r.facts, 'provisioning.kind')).toEqual(['enterprise']);
    expect(one(r.facts, 'provisioning.push_entitlement')!.source).toEqual({ kind: 'file', input: realworld('mobileprovision_enterprise_aps_production.mobileprovision') });
  });

  it('an enterprise profile without aps-environment, its Chinese name decoded', async () => {
    const r = await readPath(realworld('mobileprovision_enterprise_no_aps_environment.mobileprovision'), ctx);
    expect(r.problems).toEqual([]);
    expect(values(r.facts, 'provisioning.push_entitlement')).toEqual([false]);
    expect(values(r.facts, 'provisioning.name')).toEqual(['红鸟游戏整合_企业发布']);
    expect(values(r.facts, 'app.bundle_id')).toEqual(['com.redbird.company.MixProject']);
  });

  it('a truncated profile is a problem, not a crash', async () => {
    const dir = tempDir('pushcheck-apns-');
    const { readFileSync } = await import('node:fs');
    const whole = readFileSync(realworld('mobileprovision_enterprise_aps_production.mobileprovision'));
    const cut = join(dir, 'cut.mobileprovision');
    writeFileSync(cut, whole.subarray(0, 900));
    const r = await readPath(cut, ctx);
    expect(r.facts.filter((f) => f.name.startsWith('provisioning.'))).toEqual([]);
    expect(r.problems.length).toBeGreaterThan(0);
    const junk = join(dir, 'junk.mobileprovision');
    writeFileSync(junk, 'not a profile at all');
    const j = await readPath(junk, ctx);
    expect(j.facts).toEqual([]);
    expect(j.problems[0].message).toMatch(/property list|profile/);
  });
});

describe('a provisioning profile without aps-environment', () => {
  for (const name of ['mobileprovision_enterprise_no_aps_environment.mobileprovision', 'mobileprovision_dev_no_aps_environment.mobileprovision']) {
    it(`${name}: the missing entitlement is confirmed, with the profile as evidence, and no MDM cause is listed`, async () => {
      const path = realworld(name);
      const d = diagnoseRead(await readPath(path, ctx), [NOW]);
      expect(d.domains).toEqual(['apns']);
      expect(status(d, 'apns.missing_entitlement')).toBe('confirmed');
      const because = d.causes.find((c) => c.cause.id === 'apns.missing_entitlement')!.decided[0];
      expect(because.rule.id).toBe('apns.missing_entitlement.profile');
      expect(because.evidence.map((f) => f.source)).toEqual([{ kind: 'file', input: path }]);
      expect(d.causes.filter((c) => !c.cause.id.startsWith('apns.'))).toEqual([]);
      // A profile this old has also expired: it is stale either way.
      expect(status(d, 'apns.stale_provisioning_profile')).toBe('confirmed');
    });
  }

  it('the 2016 enterprise profile with aps-environment production: push-capable, but expired', async () => {
    const d = diagnoseRead(await readPath(realworld('mobileprovision_enterprise_aps_production.mobileprovision'), ctx), [NOW]);
    expect(status(d, 'apns.missing_entitlement')).toBe('ruled_out');
    expect(status(d, 'apns.stale_provisioning_profile')).toBe('confirmed');
    expect(d.causes.find((c) => c.cause.id === 'apns.stale_provisioning_profile')!.decided.map((r) => r.rule.id)).toEqual(['apns.stale_provisioning_profile.expired']);
    expect(d.facts.find((f) => f.name === 'apns.app_environment')?.value).toBe('production');
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
