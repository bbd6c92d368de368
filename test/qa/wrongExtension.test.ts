import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

/**
 * Troubleshooting step: "send us the app's provisioning profile". It comes
 * back as an e-mail attachment saved as .txt, or with no extension at all;
 * the CMS envelope says what it is, whatever the name.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pushcheck-qa-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a provisioning profile with the wrong extension is still read', () => {
  it.each(['embedded.txt', 'embedded'])('saved as %s: no aps-environment, so the missing entitlement is confirmed', async (name) => {
    const file = join(dir, name);
    await copyFile(new URL('../fixtures/apns/dev_no_aps.mobileprovision', import.meta.url).pathname, file);
    const report = JSON.parse((await cli('diagnose', file, '--format', 'json')).out);
    expect(report.facts).toContainEqual(expect.objectContaining({ fact: 'provisioning.push_entitlement', value: false }));
    expect(report.causes.find((c: { id: string }) => c.id === 'apns.missing_entitlement')?.status).toBe('confirmed');
    expect(report.problems.filter((p: { code: string }) => p.code.startsWith('plist.'))).toEqual([]);
  });

  it('a signed enrollment profile saved as .txt is not taken for a provisioning profile', async () => {
    const file = join(dir, 'enroll.txt');
    await copyFile(new URL('../fixtures/mdm/enroll_signed.mobileconfig', import.meta.url).pathname, file);
    const report = JSON.parse((await cli('diagnose', file, '--format', 'json')).out);
    expect(report.problems.filter((p: { code: string }) => p.code.startsWith('provisioning.'))).toEqual([]);
    expect(report.facts.map((f: { fact: string }) => f.fact)).toContain('profile.topic');
  });
});
