import { setImmediate as nextTurn } from 'node:timers/promises';
import { diagnose } from '../engine/diagnose.js';
import type { RuleSet } from '../engine/loadRules.js';
import type { Report } from '../report/types.js';
import { collectEvidence, type CaseInput, type CollectOptions } from './collect.js';
import { buildReport, shippedRules } from './evaluate.js';

export { buildReport, diagnoseEvidence, evaluateCase, shippedRules } from './evaluate.js';

/** Evidence in, report out: what the CLI and the library's users call. */
export async function runCase(input: CaseInput, opts: CollectOptions & { rules?: RuleSet } = {}): Promise<Report> {
  const evidence = await collectEvidence(input, opts);
  // The rules, the diagnosis and the report each in a turn of their own: the event loop is not held for all three at once.
  await nextTurn();
  const rules = opts.rules ?? shippedRules();
  await nextTurn();
  const diagnosis = diagnose({ facts: evidence.facts, answers: input.answers ?? [], problems: evidence.problems }, rules);
  await nextTurn();
  return buildReport(diagnosis);
}
