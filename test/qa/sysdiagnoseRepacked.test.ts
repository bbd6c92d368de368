import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { tgz } from '../archive/support.js';

const NAME = 'sysdiagnose_2026.11.20_10-22-33+0000_iPhone-OS_iPhone_22B83';

/**
 * Troubleshooting step: "which device and OS is this sysdiagnose from?"
 * People re-pack an extracted sysdiagnose with `tar czf x.tgz -C dir .`,
 * which puts "./" before every member name.
 */
describe('a re-packed sysdiagnose still identifies the device', () => {
  it('members named ./sysdiagnose_…/… give the OS build and time like the original', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pushcheck-qa-'));
    try {
      const file = join(dir, 'repacked.tgz');
      await writeFile(
        file,
        tgz([
          { path: `./${NAME}/`, type: 'dir' },
          { path: `./${NAME}/logs/readme.txt`, data: 'hello\n' },
        ]),
      );
      const report = JSON.parse((await cli('diagnose', file, '--format', 'json')).out);
      expect(report.device).toMatchObject({ osBuild: '22B83', platform: 'ios', sysdiagnoseAt: '2026-11-20T10:22:33Z' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
