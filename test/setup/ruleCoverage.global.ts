// With PUSHCHECK_RULE_COVERAGE=1 (set by `npm test`), fails the run unless
// every rule in rules/ was made to hold by some test and not to hold by some
// other: "each rule has a test that fires it and one that rules it out".
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../src/engine/loadRules.js';

export default function setup() {
  if (process.env.PUSHCHECK_RULE_COVERAGE !== '1') return undefined;
  // Called once for the run and once for each project of vitest.config.ts: the first call owns the check.
  if (process.env.PUSHCHECK_RULE_COVERAGE_DIR) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-rule-coverage-'));
  process.env.PUSHCHECK_RULE_COVERAGE_DIR = dir;
  return () => {
    const seen = new Set<string>();
    for (const f of readdirSync(dir)) for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) seen.add(line);
    rmSync(dir, { recursive: true, force: true });
    const gaps: string[] = [];
    const shipped = loadRules().rules;
    for (const r of shipped) {
      if (!seen.has(`${r.id}\theld`)) gaps.push(`${r.id}: no test makes it hold`);
      if (!seen.has(`${r.id}\tnot`)) gaps.push(`${r.id}: no test where it does not hold`);
    }
    if (gaps.length) {
      // A throw here is only logged by vitest; the exit code is what CI reads.
      console.error(`\nRule coverage: every rule needs a test that fires it and one that rules it out.\n  ${gaps.join('\n  ')}\n`);
      process.exitCode = 1;
    } else {
      console.log(`Rule coverage: all ${shipped.length} rules in rules/ seen holding and not holding.`);
    }
  };
}
