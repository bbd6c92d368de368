// Bundles, once per test run, the code that tests run in processes and worker threads of their own
// (the bot's `src/main.ts`, the pool's worker, test children), as `npm run build` bundles the CLI.
// Each such process or thread otherwise compiles and links every source module through tsx on
// its own: a second or more of CPU per start, and the slowest part of the suite. The rules are
// validated once into the cache the bundle reads, as the build does for dist/.
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadRules } from '../../src/engine/loadRules.js';
import { writeRulesCache } from '../../src/engine/rulesCache.js';
import { BUILD_ENV, ENTRIES } from '../support/built.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default async function setup() {
  // Called once for the run and once for each project of vitest.config.ts: the first call builds.
  if (process.env[BUILD_ENV]) return undefined;
  // Two levels under the repository, like dist/cli: the bundle finds rules/, prompts/ and examples/
  // as the sources do, and the rules cache at tmp/engine/ as dist/cli finds dist/engine/.
  mkdirSync(join(ROOT, 'tmp/engine'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp/test-build-'));
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, join(ROOT, path)])),
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  // Written whole, then renamed: a run started meanwhile reads the old cache or the new one, never half of one.
  const cache = join(ROOT, 'tmp/engine/rules.cache.json');
  writeRulesCache(loadRules(), undefined, `${cache}.${process.pid}`);
  renameSync(`${cache}.${process.pid}`, cache);
  process.env[BUILD_ENV] = dir;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env[BUILD_ENV];
  };
}
