import { createReadStream } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { sysdiagnoseFacts } from '../sysdiagnose.js';
import { pumpMember } from './member.js';
import type { Scan } from './scan.js';

const FILE_CHUNK = 256 * 1024;

/**
 * Walks a folder (an extracted sysdiagnose, a folder of logs) in a fixed
 * order. Files are read like archive members, with their path inside the
 * folder as the member; unwanted files are closed after their first bytes.
 * Symbolic links are followed only when they stay inside the folder.
 */
export async function scanFolder(scan: Scan, root: string): Promise<void> {
  const rootReal = await realpath(root);
  noteSysdiagnose(scan, basename(rootReal), undefined);
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    const names: { name: string; kind: 'dir' | 'file' | 'link' | 'other' }[] = [];
    try {
      const dir = await opendir(join(root, rel));
      for await (const d of dir) {
        names.push({ name: d.name, kind: d.isSymbolicLink() ? 'link' : d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other' });
      }
    } catch (e) {
      scan.problem('folder.unreadable', `cannot be listed: ${(e as Error).message}`, rel || undefined);
      continue;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const { name, kind } of names) {
      const member = rel ? `${rel}/${name}` : name;
      const full = join(root, member);
      scan.check();
      scan.addEntry(member);
      if (kind === 'dir') {
        if (!rel) noteSysdiagnose(scan, name, `${member}/`);
        subdirs.push(member);
      } else if (kind === 'file') {
        await scanFile(scan, full, member);
      } else if (kind === 'link') {
        let target: string;
        try {
          target = await realpath(full);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ELOOP') scan.problem('folder.link_loop', 'is a symbolic link in a loop of links; not followed', member);
          else scan.problem('folder.broken_link', 'is a symbolic link that leads nowhere; skipped', member);
          continue;
        }
        if (target === rootReal) {
          scan.problem('folder.link_loop', 'is a symbolic link back to the folder itself (a loop); not followed', member);
          continue;
        }
        if (!target.startsWith(rootReal + sep)) {
          scan.problem('folder.link_outside', 'is a symbolic link that leads outside the folder; not followed', member);
          continue;
        }
        // Links to folders inside are skipped: their target is walked anyway, and loops are impossible.
        if ((await stat(target)).isFile()) await scanFile(scan, target, member);
      }
      if (scan.shouldYield()) await scan.yieldNow();
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

async function scanFile(scan: Scan, path: string, member: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    scan.problem('folder.unreadable', `cannot be read: ${(e as Error).message}`, member);
    return;
  }
  const stream = createReadStream(path, { highWaterMark: FILE_CHUNK, signal: scan.signal });
  await pumpMember(
    scan,
    { member, size, depth: 0 },
    stream,
    (n) => scan.addInput(n),
    (e) => ({ code: 'folder.unreadable', message: `cannot be read: ${e.message}` }),
  );
}

function noteSysdiagnose(scan: Scan, name: string, member: string | undefined): void {
  if (!name.startsWith('sysdiagnose')) return;
  const key = member ?? '';
  if (scan.sysdiagnoseSeen.has(key)) return;
  scan.sysdiagnoseSeen.add(key);
  for (const f of sysdiagnoseFacts(name, { kind: 'file', input: scan.input, ...(member ? { member } : {}) })) scan.facts.push(f);
}
