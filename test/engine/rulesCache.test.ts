import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRulesDir, loadRules, RuleLoadError } from '../../src/engine/loadRules.js';
import { loadRulesCached, readRulesCache, writeRulesCache } from '../../src/engine/rulesCache.js';

/**
 * The build validates rules/ once and caches the result; a run uses the
 * cache only while every rule file is byte for byte what was validated. A
 * support engineer who edits or adds a rule file still gets its mistakes
 * named with file and line, as without a cache.
 */

const work = mkdtempSync(join(tmpdir(), 'pushcheck-rules-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** A copy of the shipped rules and a cache validated from it, as the build leaves them. */
function built(): { dir: string; cache: string } {
  const dir = join(work, `rules-${++n}`);
  cpSync(defaultRulesDir(), dir, { recursive: true });
  const cache = join(work, `rules-${n}.cache.json`);
  writeRulesCache(loadRules(dir), dir, cache);
  return { dir, cache };
}

describe('the validated rules, cached at build time', () => {
  it('gives back exactly the set the validator made, file names included', () => {
    const { dir, cache } = built();
    const cached = readRulesCache(dir, cache);
    expect(cached).toEqual(loadRules(dir));
    expect(cached?.origin.size).toBeGreaterThan(100);
  });

  it('is not used once a rule file is edited: the broken file is reported with its line', () => {
    const { dir, cache } = built();
    const file = readdirSync(dir).find((f) => f === 'mdm.yml')!;
    const text = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), text.replace(/op: exists/, 'op: exist'));
    expect(readRulesCache(dir, cache)).toBeUndefined();
    let err: unknown;
    try {
      loadRulesCached(dir, cache);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuleLoadError);
    const issue = (err as RuleLoadError).issues[0]!;
    expect(issue.file).toMatch(/mdm\.yml$/);
    expect(issue.line).toBeGreaterThan(0);
    expect((err as Error).message).toMatch(/mdm\.yml:\d+/);
  });

  it('is not used once a rule file is added: the new file is validated (and its mistakes named)', () => {
    const { dir, cache } = built();
    writeFileSync(join(dir, 'zz-local.yml'), 'causes:\n  - id: local.cause\n    domain: mdm\n');
    expect(readRulesCache(dir, cache)).toBeUndefined();
    expect(() => loadRulesCached(dir, cache)).toThrow(/zz-local\.yml/);
  });

  it('a whitespace-only edit is validated again too (the digest is of the bytes), and still loads', () => {
    const { dir, cache } = built();
    appendFileSync(join(dir, 'notes.yml'), '\n');
    expect(readRulesCache(dir, cache)).toBeUndefined();
    expect(loadRulesCached(dir, cache).rules.length).toBe(loadRules(defaultRulesDir()).rules.length);
  });

  it('without a cache (running from source, a fresh checkout) the rules are validated', () => {
    expect(readRulesCache(defaultRulesDir(), join(work, 'absent.json'))).toBeUndefined();
    expect(loadRulesCached(defaultRulesDir(), join(work, 'absent.json'))).toEqual(loadRules());
  });
});
