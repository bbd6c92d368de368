import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The push-heavy bundle: a sysdiagnose-like tree whose text logs are full of
 * apsd and mdmd lines, written by the generator the team shares in
 * ../shared/bench/ (run as its README says: generate, then tar -czf the
 * sysdiagnose folder), into the OS temp dir. Cached under a hash of the
 * generator, so a second bench run reuses it.
 */

export type PushHeavy = { path: string; bytes: number; cached: boolean; seconds: number } | { skipped: string };

/**
 * ../shared/bench beside the repository (the bench runs from the repository's root), or the folder
 * PUSHCHECK_BENCH_SHARED names (a git worktree kept elsewhere has no ../shared beside it).
 */
export function sharedBenchDir(root: string = process.cwd()): string {
  const named = process.env.PUSHCHECK_BENCH_SHARED;
  return named ? resolve(named) : resolve(root, '..', 'shared', 'bench');
}

export function pushHeavyBundle(scale: 'big' | 'small' = 'big', root?: string): PushHeavy {
  const dir = sharedBenchDir(root);
  const generator = join(dir, 'gen-sysdiagnose.js');
  if (!existsSync(generator)) return { skipped: `${dir} is not here (no gen-sysdiagnose.js): the push-heavy bundle is skipped` };
  const hash = createHash('sha256').update(readFileSync(generator)).update(scale).digest('hex').slice(0, 16);
  const work = join(tmpdir(), 'pushcheck-bench');
  mkdirSync(work, { recursive: true });
  const path = join(work, `push-heavy-${scale}-${hash}.tar.gz`);
  if (existsSync(path)) return { path, bytes: statSync(path).size, cached: true, seconds: 0 };

  const t0 = performance.now();
  const tree = join(work, `push-heavy-${scale}-${hash}.tree`);
  rmSync(tree, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [generator, tree, scale], { stdio: ['ignore', 'ignore', 'inherit'] });
    const top = readdirSync(tree).filter((n) => n.startsWith('sysdiagnose_'));
    // The README's own command: (cd bench-big && tar -czf ../bench-big.tar.gz sysdiagnose_*)
    execFileSync('tar', ['-czf', `${path}.partial`, ...top], { cwd: tree, stdio: ['ignore', 'ignore', 'inherit'] });
    renameSync(`${path}.partial`, path);
  } catch (e) {
    rmSync(`${path}.partial`, { force: true });
    return { skipped: `the push-heavy bundle could not be made (${(e as Error).message.split('\n')[0]})` };
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
  return { path, bytes: statSync(path).size, cached: false, seconds: (performance.now() - t0) / 1000 };
}
