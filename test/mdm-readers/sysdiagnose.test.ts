import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as plist from 'plist';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { readPath } from '../../src/evidence/read.js';
import { expandFacts } from '../../src/facts/fold.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { fixture } from './helpers.js';

const ROOT = 'sysdiagnose_2024.03.01_09-20-11+0100_iPhone-OS_iPhone_21D61';
const dir = mkdtempSync(join(tmpdir(), 'pushcheck-mdm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a sysdiagnose .tar.gz with a binary MDM.plist and a profile stub deep in the tree', () => {
  it('yields the device values with the member path as their source; unrelated plists add nothing', async () => {
    const shared = join(dir, ROOT, 'logs/MCState/Shared');
    mkdirSync(shared, { recursive: true });
    mkdirSync(join(dir, ROOT, 'logs/Preferences'), { recursive: true });
    writeFileSync(join(shared, 'MDM.plist'), Buffer.from(plist.buildBinary(plist.parse(readFileSync(fixture('MDM.plist'), 'utf8')) as never)));
    copyFileSync(fileURLToPath(fixture('profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub')), join(shared, 'profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub'));
    writeFileSync(join(dir, ROOT, 'logs/Preferences/com.apple.springboard.plist'), Buffer.from(plist.buildBinary({ SBShowBattery: true } as never)));
    const archive = join(dir, 'sysdiagnose.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: dir, portable: true }, [ROOT]);

    const r = await readPath(archive, { limits: DEFAULT_LIMITS });
    expect(r.problems).toEqual([]);
    const magic = r.facts.find((f) => f.name === 'device.push_magic');
    expect(magic).toMatchObject({
      value: '5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7',
      source: { kind: 'file', input: archive, member: `${ROOT}/logs/MCState/Shared/MDM.plist` },
    });
    expect(r.facts.find((f) => f.name === 'device.push_token_hash')?.value).toBe('0a9f28fd74bf39c4cbdd7d0acb30a6598b40160d5ffe3c6de3bf319ec262bbbd');
    // Both places the topic was read stay on record, in one folded fact.
    const topics = expandFacts(r.facts).filter((f) => f.name === 'device.topic');
    expect(topics.map((f) => (f.source.kind === 'file' ? f.source.member?.split('/').pop() : ''))).toEqual([
      'MDM.plist',
      'profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub',
    ]);
    expect(new Set(topics.map((f) => f.value))).toEqual(new Set(['com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9']));
    expect(r.facts.find((f) => f.name === 'device.mdm_profile_installed_at')?.value).toBe('2024-01-15T10:20:30.000Z');
    expect(r.facts.some((f) => f.source.kind === 'file' && f.source.member?.includes('Preferences'))).toBe(false);
  });
});
