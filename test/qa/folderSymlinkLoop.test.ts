import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

/** Troubleshooting step: "point pushcheck at the extracted folder". */
describe('a folder with a symbolic link loop', () => {
  it('calls a link back to the folder a loop, not a link outside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pushcheck-qa-'));
    try {
      const root = join(dir, 'case');
      await mkdir(join(root, 'a'), { recursive: true });
      await symlink('..', join(root, 'a', 'up'));
      await symlink('loop2', join(root, 'loop1'));
      await symlink('loop1', join(root, 'loop2'));
      const report = JSON.parse((await cli('diagnose', root, '--format', 'json')).out);
      const byMember = Object.fromEntries(report.problems.map((p: { member: string; code: string; message: string }) => [p.member, p]));
      expect(byMember['a/up']).toMatchObject({ input: root, code: 'folder.link_loop' });
      expect(byMember['a/up'].message).toMatch(/loop/);
      expect(byMember.loop1).toMatchObject({ code: 'folder.link_loop' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
