import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import type { Fact } from '../../src/facts/schema.js';
import { shippedRules } from '../../src/case/index.js';

/**
 * What reading and diagnosing a provisioning profile must give, whoever made
 * it: the main suite runs these on profiles written by us (readers.test.ts,
 * doneWhen.test.ts), the real-world suite on profiles from others
 * (test/realworld/apns.test.ts), each with its profile's values.
 */
const ctx = { limits: DEFAULT_LIMITS };
const NOW: Fact = { name: 'case.now', value: '2026-11-20T12:00:00.000Z', source: { kind: 'pasted', input: '--now' } };

/** Reads the profile at `path`: no problems, and each named fact with exactly the values given. */
export async function checkProfileFacts(path: string, want: Record<string, Fact['value'][]>): Promise<Fact[]> {
  const r = await readPath(path, ctx);
  expect(r.problems).toEqual([]);
  for (const [name, values] of Object.entries(want))
    expect(
      r.facts.filter((f) => f.name === name).map((f) => f.value),
      name,
    ).toEqual(values);
  return r.facts;
}

/** The first 900 bytes of a profile, and a file that is no profile at all: problems, not a crash. */
export async function checkTruncatedProfile(whole: string, dir: string): Promise<void> {
  const cut = join(dir, 'cut.mobileprovision');
  writeFileSync(cut, readFileSync(whole).subarray(0, 900));
  const r = await readPath(cut, ctx);
  expect(r.facts.filter((f) => f.name.startsWith('provisioning.'))).toEqual([]);
  expect(r.problems.length).toBeGreaterThan(0);
  const junk = join(dir, 'junk.mobileprovision');
  writeFileSync(junk, 'not a profile at all');
  const j = await readPath(junk, ctx);
  expect(j.facts).toEqual([]);
  expect(j.problems[0].message).toMatch(/property list|profile/);
}

async function diagnoseProfile(path: string) {
  const r = await readPath(path, ctx);
  return diagnose({ facts: [...r.facts, NOW], problems: r.problems, answers: [] }, shippedRules());
}
const status = (d: ReturnType<typeof diagnose>, id: string) => d.causes.find((c) => c.cause.id === id)?.status;

/** An old profile without aps-environment: the missing entitlement confirmed with the profile as evidence, no MDM cause, and stale. */
export async function checkMissingEntitlement(path: string): Promise<void> {
  const d = await diagnoseProfile(path);
  expect(d.domains).toEqual(['apns']);
  expect(status(d, 'apns.missing_entitlement')).toBe('confirmed');
  const because = d.causes.find((c) => c.cause.id === 'apns.missing_entitlement')!.decided[0];
  expect(because.rule.id).toBe('apns.missing_entitlement.profile');
  expect(because.evidence.map((f) => f.source)).toEqual([{ kind: 'file', input: path }]);
  expect(d.causes.filter((c) => !c.cause.id.startsWith('apns.'))).toEqual([]);
  // A profile this old has also expired: it is stale either way.
  expect(status(d, 'apns.stale_provisioning_profile')).toBe('confirmed');
}

/** An expired profile with aps-environment production: push-capable, but stale. */
export async function checkExpiredPushProfile(path: string): Promise<void> {
  const d = await diagnoseProfile(path);
  expect(status(d, 'apns.missing_entitlement')).toBe('ruled_out');
  expect(status(d, 'apns.stale_provisioning_profile')).toBe('confirmed');
  expect(d.causes.find((c) => c.cause.id === 'apns.stale_provisioning_profile')!.decided.map((r) => r.rule.id)).toEqual([
    'apns.stale_provisioning_profile.expired',
  ]);
  expect(d.facts.find((f) => f.name === 'apns.app_environment')?.value).toBe('production');
}
