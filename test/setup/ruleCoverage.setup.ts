// Runs before every test file: records each rule's results so the global
// teardown can check that every rule was seen holding and not holding.
// Modules are shared by the test files of a worker (vitest.config.ts): one
// observer per loaded engine, one record per process, rewritten after each file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ruleObservers } from '../../src/engine/observe.js';

const dir = process.env.PUSHCHECK_RULE_COVERAGE_DIR;
if (dir) {
  const g = globalThis as { pushcheckRuleCoverage?: { seen: Set<string>; observed: WeakSet<object> } };
  const coverage = (g.pushcheckRuleCoverage ??= { seen: new Set(), observed: new WeakSet() });
  if (!coverage.observed.has(ruleObservers)) {
    coverage.observed.add(ruleObservers);
    ruleObservers.add((id, result) => coverage.seen.add(`${id}\t${result === true ? 'held' : 'not'}`));
  }
  afterAll(() => {
    if (coverage.seen.size) writeFileSync(join(dir, `${process.pid}.tsv`), `${[...coverage.seen].join('\n')}\n`);
  });
}
