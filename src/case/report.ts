import type { RuleSet } from '../engine/loadRules.js';
import type { Report } from '../report/types.js';
import { collectEvidence, type CaseInput, type CollectOptions } from './collect.js';
import { diagnoseEvidence } from './evaluate.js';

export { buildReport, diagnoseEvidence, evaluateCase, shippedRules } from './evaluate.js';

/** Evidence in, report out: what the CLI and the library's users call. */
export async function runCase(input: CaseInput, opts: CollectOptions & { rules?: RuleSet } = {}): Promise<Report> {
  const evidence = await collectEvidence(input, opts);
  return diagnoseEvidence(evidence, input.answers ?? [], opts.rules).report;
}
