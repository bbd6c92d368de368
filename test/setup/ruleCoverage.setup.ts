// Runs in every test worker: records each rule's results so the global
// teardown can check that every rule was seen holding and not holding.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ruleObservers } from '../../src/engine/observe.js';

const dir = process.env.PUSHCHECK_RULE_COVERAGE_DIR;
if (dir) {
  const seen = new Set<string>();
  ruleObservers.add((id, result) => seen.add(`${id}\t${result === true ? 'held' : 'not'}`));
  afterAll(() => {
    if (seen.size) appendFileSync(join(dir, `${process.pid}.tsv`), `${[...seen].join('\n')}\n`);
  });
}
