import { describe, expect, it } from 'vitest';
import { readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { factDefinition } from '../../src/facts/catalog/index.js';
import { deriveFacts } from '../../src/facts/derive/index.js';
import { realworld, realworldFiles } from './files.js';

describe('the fact catalog', () => {
  it('names every fact the readers and derivers produce from the real-world files', async () => {
    const unknown = new Set<string>();
    let names = 0;
    for (const name of realworldFiles()) {
      const { facts } = await readPath(realworld(name), { limits: DEFAULT_LIMITS });
      for (const f of deriveFacts(facts)) {
        names++;
        if (!factDefinition(f.name)) unknown.add(`${f.name} (from ${name})`);
      }
    }
    expect(names).toBeGreaterThan(50);
    expect([...unknown]).toEqual([]);
  });
});
