import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

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
    plugins: [commonJsByRequire(from)],
  });
  return 'bundled';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  bundleCli().then((how) => {
    if (how === 'plain') console.log('pushcheck: esbuild is not installed; dist/cli/pushcheck.js runs the unbundled CLI');
  });
}

/** What marks a package as ES modules: its own `type`, or an `import` condition among its exports. */
function isEsmPackage(pkg: { type?: string; exports?: unknown }): boolean {
  return pkg.type === 'module' || (typeof pkg.exports === 'object' && pkg.exports !== null && JSON.stringify(pkg.exports).includes('"import"'));
}

/**
 * A CommonJS package imported with `import` (saxes) costs every run a pass of Node's CommonJS
 * lexer over its source, to find its named exports: a tenth of the CLI's start-up for saxes
 * alone. In the bundle such an import loads the package with require() instead, its export
 * names listed at build time, and the lexer never runs. ES module packages are left as they are.
 */
function commonJsByRequire(entry: string): Plugin {
  const req = createRequire(entry);
  return {
    name: 'commonjs-by-require',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || args.kind !== 'import-statement') return undefined;
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]!;
        let pkg: { type?: string; exports?: unknown };
        try {
          pkg = JSON.parse(readFileSync(req.resolve(`${name}/package.json`), 'utf8'));
        } catch {
          return undefined;
        }
        return isEsmPackage(pkg) ? undefined : { path: args.path, namespace: 'commonjs-by-require' };
      });
      build.onLoad({ filter: /.*/, namespace: 'commonjs-by-require' }, (args) => {
        const names = Object.keys(req(args.path) as object).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
        const spec = JSON.stringify(args.path);
        return {
          contents: `import { createRequire } from 'node:module';\nconst m = createRequire(import.meta.url)(${spec});\nexport default m;\n${names.length ? `export const { ${names.join(', ')} } = m;\n` : ''}`,
          loader: 'js',
          resolveDir: fileURLToPath(new URL('.', import.meta.url)),
        };
      });
    },
  };
}
