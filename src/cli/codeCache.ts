import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';
import { loopTurn } from '../case/steps.js';

/*
 * The bundled CLI (dist/cli/pushcheck.cjs) is compiled with V8's code cache
 * that the build wrote beside it: the bytecode of the functions a diagnosis
 * ran, so a run neither parses the half-megabyte bundle nor compiles each of
 * those functions again on first call (on the synthetic bench bundle ~40 ms
 * of main-thread CPU). Node 20 offers this for scripts only (vm.Script's
 * cachedData), not for ES modules, hence a CommonJS bundle run here.
 *
 * The cache is only a shortcut: missing, unreadable, made for other bytes
 * of the bundle (V8 itself checks little more than the source's length), or
 * refused by V8 (another Node version, other V8 flags), the bundle is
 * compiled from its source as usual. Nothing is written at run time, except
 * by the build's own training runs (PUSHCHECK_WRITE_CODE_CACHE), beside the bundle.
 */

/** What the bundle (src/cli/main.ts) exports. */
export interface CliModule {
  main(argv: string[]): Promise<number>;
}

/** Set by the build for its training runs: write the cache beside the bundle at exit. */
export const WRITE_CACHE_ENV = 'PUSHCHECK_WRITE_CODE_CACHE';

const DIGEST = 32;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

/** The cache file: the bundle's digest, the data's digest, V8's data. */
export const cacheFileOf = (bundle: string) => `${bundle}.cache`;

/** V8's cached data for exactly these bundle bytes, or undefined. */
function cachedDataFor(source: Buffer, cacheFile: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (file.length <= 2 * DIGEST) return undefined;
  const data = file.subarray(2 * DIGEST);
  if (!sha256(source).equals(file.subarray(0, DIGEST)) || !sha256(data).equals(file.subarray(DIGEST, 2 * DIGEST))) return undefined;
  return data;
}

export interface LoadedBundle {
  exports: CliModule;
  /** Whether V8 took the cached code (false: compiled from source). */
  cached: boolean;
}

/**
 * Compiles and runs the CommonJS bundle at `file` (an absolute path), with its code cache when it fits.
 * Reading and checking, decoding, compiling, and running the bundle's top level each take a turn of
 * the event loop of their own (together 40-80 ms of main-thread CPU on the bench machine): a process
 * watching its loop (the bench, a host embedding the command) waits for one of them, not for all.
 */
export async function loadBundle(file: string): Promise<LoadedBundle> {
  // After the modules the command's entry imports are set up (node:crypto, node:vm …).
  await loopTurn();
  const cacheFile = cacheFileOf(file);
  const source = readFileSync(file);
  // A training run starts from the cache of the one before, and adds what it ran besides.
  const cachedData = cachedDataFor(source, cacheFile);
  await loopTurn();
  let text = source.toString('utf8');
  // A bundle keeps its entry's "#!" line: a comment to the function it is wrapped in (lines stay where they were).
  if (text.startsWith('#!')) text = `//${text.slice(2)}`;
  // Strict, as the ES modules it was bundled from (the bundle's own "use strict" comes after its banner, too late to count).
  const wrapped = `(function (exports, require, module, __filename, __dirname) {"use strict";${text}\n})`;
  await loopTurn();
  const script = new vm.Script(wrapped, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (process.env[WRITE_CACHE_ENV]) process.once('exit', () => writeCache(script, source, cacheFile));
  await loopTurn();
  const module = { exports: {} as CliModule };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, cached: !!cachedData && !script.cachedDataRejected };
}

/**
 * At the end of a training run: the code of every function it ran, written whole and then renamed into
 * place. A cache that cannot be written is left out (the build says so), never a failed run.
 */
function writeCache(script: vm.Script, source: Buffer, cacheFile: string): void {
  const tmp = `${cacheFile}.${process.pid}`;
  try {
    const data = script.createCachedData();
    writeFileSync(tmp, Buffer.concat([sha256(source), sha256(data), data]));
    renameSync(tmp, cacheFile);
  } catch (e) {
    rmSync(tmp, { force: true });
    process.stderr.write(`pushcheck: no code cache written: ${(e as Error).message}\n`);
  }
}
