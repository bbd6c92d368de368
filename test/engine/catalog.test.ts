import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { factDefinition } from '../../src/facts/catalog/index.js';
import { deriveParams } from '../../src/engine/loadRules.js';
import { deriveFacts } from '../../src/facts/derive/index.js';
import { shipped } from '../support/rules.js';

const ROOTS = ['../fixtures/', '../../examples/'].map((r) => fileURLToPath(new URL(r, import.meta.url)));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [] : [p];
  });
}

describe('the fact catalog', () => {
  it('names every fact the readers and derivers produce from the fixtures and examples', async () => {
    // With the shipped parameters, so that the push derivations (which need them) run too.
    const params = deriveParams(shipped());
    const unknown = new Set<string>();
    let names = 0;
    for (const file of ROOTS.flatMap(filesUnder)) {
      const { facts } = await readPath(file, { limits: DEFAULT_LIMITS });
      for (const f of deriveFacts(facts, params)) {
        names++;
        if (!factDefinition(f.name)) unknown.add(`${f.name} (from ${file})`);
      }
    }
    expect(names).toBeGreaterThan(100);
    expect([...unknown]).toEqual([]);
  });
});
