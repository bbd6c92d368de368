import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Run by `npm run build`: bundles the CLI (dist/cli/bin.js and everything it
 * imports from dist) into dist/cli/pushcheck.js, the package's `bin`. The
 * fixed cost of a run is mostly Node resolving, reading and linking modules
 * one by one; a bundle of our own code (packages stay external, and what is
 * imported lazily stays lazy, in chunks beside it) costs a third less. The
 * chunks sit in dist/cli, as deep as every module they come from, so paths
 * relative to the code (rules/, prompts/, the rules cache) still resolve.
 * Without esbuild (installed without dev dependencies) the bin is a plain
 * entry that imports the unbundled CLI.
 */
const outdir = fileURLToPath(new URL('.', import.meta.url));
const entry = fileURLToPath(new URL('./bin.js', import.meta.url));

export async function bundleCli(to: string = outdir, from: string = entry): Promise<'bundled' | 'plain'> {
  mkdirSync(to, { recursive: true });
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    writeFileSync(`${to}/pushcheck.js`, "#!/usr/bin/env node\nimport './bin.js';\n");
    return 'plain';
  }
  // Chunks of an earlier build have other names: leave none behind.
  for (const f of readdirSync(to)) if (/^pushcheck-\w+\.js$/.test(f)) rmSync(join(to, f));
  await esbuild.build({
    entryPoints: { pushcheck: from },
    outdir: to,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'pushcheck-[hash]',
    // Whitespace and syntax only (names kept, for stack traces): less to read and parse on every run.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
  });
  return 'bundled';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  bundleCli().then((how) => {
    if (how === 'plain') console.log('pushcheck: esbuild is not installed; dist/cli/pushcheck.js runs the unbundled CLI');
  });
}
