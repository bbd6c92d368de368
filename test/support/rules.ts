import { shippedRules } from '../../src/case/index.js';
import type { RuleSet } from '../../src/engine/ruleSet.js';

/**
 * The rules in rules/, validated once per worker: the files a worker runs
 * share them with each other and with the CLI and service they run in-process
 * (the same copy the application keeps). A test about loading rules loads
 * them itself.
 */
export function shipped(): RuleSet {
  return shippedRules();
}
