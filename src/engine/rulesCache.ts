import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { allFactDefinitions } from '../facts/catalog/index.js';
import { loadRules } from './loadRules.js';
import { defaultRulesDir, type RuleSet } from './ruleSet.js';

/**
 * The shipped rules, validated once into a cached form. The build validates
 * rules/ (engine/buildRulesCache.ts) and writes the result next to this
 * module, under a digest of every rule file's name and bytes and of the fact
 * catalog they were checked against. A run reads the files, and uses the
 * cached set only while the digest still matches; an edited or added rule
 * file changes the digest, so it is validated again, errors with their file
 * and line. Parsing YAML and validating with zod cost more than a whole
 * diagnosis of a small log; reading the cache costs a JSON.parse.
 */

// Named from engine/ so the bundled CLI (dist/cli) finds it too.
const CACHE = new URL('../engine/rules.cache.json', import.meta.url);
/** Bump when the cached form changes shape. */
const FORMAT = 1;

interface CacheFile {
  format: number;
  digest: string;
  rules: Omit<RuleSet, 'origin'> & { origin: [id: string, file: string][] };
}

function ruleFileNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort();
}

/** What the validated set depends on: the rule files, byte for byte, and the facts they may name. */
function rulesDigest(dir: string = defaultRulesDir()): string {
  const h = createHash('sha256').update(`pushcheck rules ${FORMAT}\n`);
  for (const name of ruleFileNames(dir))
    h.update(name)
      .update('\u0000')
      .update(readFileSync(join(dir, name)))
      .update('\u0000');
  h.update(allFactDefinitions.map((d) => d.name).join('\n'));
  return h.digest('hex');
}

/** The validated rules from the cache, or undefined when there is none or the files changed since. */
export function readRulesCache(dir: string = defaultRulesDir(), file: URL | string = CACHE): RuleSet | undefined {
  let cached: CacheFile;
  try {
    cached = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (cached.format !== FORMAT || cached.digest !== rulesDigest(dir)) return undefined;
  // Messages name rule files relative to where pushcheck runs, as loadRules does: worked out once per file
  // (a dozen), not per id (hundreds of path computations were a fifth of reading the cache).
  const cwd = process.cwd();
  const shown = new Map<string, string>();
  const origin = new Map<string, string>();
  for (const [id, name] of cached.rules.origin) {
    let path = shown.get(name);
    if (path === undefined) shown.set(name, (path = relative(cwd, join(dir, name)) || name));
    origin.set(id, path);
  }
  return { ...cached.rules, origin };
}

/** Writes the cache for a set that loadRules() validated from `dir`. */
export function writeRulesCache(set: RuleSet, dir: string = defaultRulesDir(), file: URL | string = CACHE): void {
  const base = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const cached: CacheFile = { format: FORMAT, digest: rulesDigest(dir), rules: { ...set, origin: [...set.origin].map(([id, f]) => [id, base(f)]) } };
  writeFileSync(file, JSON.stringify(cached));
}

/** The rules of `dir`: the cached copy while the files are as validated, else validated now (RuleLoadError names file and line). */
export function loadRulesCached(dir: string = defaultRulesDir(), file: URL | string = CACHE): RuleSet {
  return readRulesCache(dir, file) ?? loadRules(dir);
}
