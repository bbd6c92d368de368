import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { trainCodeCache } from './codeCacheTraining.js';

/**
 * Run by `npm run build`: bundles the CLI (dist/cli/main.js and everything it
 * imports from dist) into dist/cli/pushcheck.cjs, and the package's `bin`,
 * dist/cli/pushcheck.js, which runs it with a V8 code cache made by training
 * runs of the built command (cli/codeCache.ts, cli/codeCacheTraining.ts). The
 * fixed cost of a run is mostly Node resolving, reading, compiling and
 * linking modules: one CommonJS file of our own code (packages stay
 * external) with its functions' code cached costs far less. The bundle sits
 * in dist/cli, as deep as every module it comes from, so paths relative to
 * the code (rules/, prompts/, the rules cache) still resolve. Without esbuild
 * (installed without dev dependencies) the bin is a plain entry that imports
 * the unbundled CLI.
 */
const outdir = fileURLToPath(new URL('.', import.meta.url));

/** `codeCache: false` leaves the cache out (the command then compiles its bundle on every run). */
export async function bundleCli(to: string = outdir, from: string = outdir, { codeCache = true } = {}): Promise<'bundled' | 'plain'> {
  mkdirSync(to, { recursive: true });
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    writeFileSync(`${to}/pushcheck.js`, "#!/usr/bin/env node\nimport './bin.js';\n");
    return 'plain';
  }
  // Chunks of an earlier build (ES module chunks, other names): leave none behind.
  for (const f of readdirSync(to)) if (/^pushcheck-\w+\.js$/.test(f)) rmSync(join(to, f));
  const ext = existsSync(join(from, 'main.ts')) ? '.ts' : '.js';
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Whitespace and syntax only (names kept, for stack traces): less to read and parse on every run.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
  } as const;
  const bundle = join(to, 'pushcheck.cjs');
  await esbuild.build({
    ...common,
    entryPoints: [join(from, `main${ext}`)],
    outfile: bundle,
    format: 'cjs',
    // The bundle's own place stands for each module's import.meta.url: they all sit in dist/cli's depth.
    banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__importMetaUrl' },
    plugins: [dynamicImportByRequire(from)],
  });
  // vm.Script gives the bundle no import() (dynamicImportByRequire): one left would fail only when reached.
  if (/\bimport\(/.test(readFileSync(bundle, 'utf8'))) throw new Error(`${bundle} calls import(), which a script compiled by vm.Script cannot run`);
  const bin = join(to, 'pushcheck.js');
  await esbuild.build({ ...common, entryPoints: [join(from, `launch${ext}`)], outfile: bin, format: 'esm', banner: { js: '#!/usr/bin/env node' } });
  if (!codeCache) rmSync(`${bundle}.cache`, { force: true });
  else if (!trainCodeCache(bin, bundle)) console.log('pushcheck: the training runs of the built command failed; it runs without a code cache');
  return 'bundled';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  bundleCli().then((how) => {
    if (how === 'plain') console.log('pushcheck: esbuild is not installed; dist/cli/pushcheck.js runs the unbundled CLI');
  });
}

/**
 * A package the CLI imports lazily (the OpenAI client) is loaded with require() when first wanted,
 * its default and named exports as import() gives them: a script compiled with vm.Script, as the
 * bundle is, can run import() on Node 20 only through an experimental loader that warns on every use.
 */
function dynamicImportByRequire(from: string): Plugin {
  const req = createRequire(join(from, 'main.js'));
  return {
    name: 'dynamic-import-by-require',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        args.kind === 'dynamic-import' && !args.path.startsWith('node:')
          ? { path: args.path, namespace: 'package-by-require', pluginData: args.resolveDir }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'package-by-require' }, (args) => {
        const names = Object.keys(req(args.path) as object).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
        return {
          contents: `const m = require(${JSON.stringify(args.path)});\nexport default m && m.__esModule ? m.default : m;\n${names.length ? `export const { ${names.join(', ')} } = m;\n` : ''}`,
          loader: 'js',
          resolveDir: args.pluginData as string,
        };
      });
    },
  };
}
