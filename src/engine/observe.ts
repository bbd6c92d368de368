import type { Truth } from './evaluate.js';

export type RuleObserver = (ruleId: string, result: Truth) => void;

/**
 * Watchers of every rule evaluation. The test suite uses one to prove that
 * each rule was seen both holding and not holding; metrics could use another.
 */
export const ruleObservers = new Set<RuleObserver>();
