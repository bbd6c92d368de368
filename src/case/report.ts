import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Answer } from '../engine/answers.js';
import { diagnose, type Diagnosis } from '../engine/diagnose.js';
import type { RuleSet } from '../engine/loadRules.js';
import { loadRulesCached } from '../engine/rulesCache.js';
import { buildEscalation } from '../escalation/draft.js';
import { buildReport as reportOf } from '../report/build.js';
import type { Report } from '../report/types.js';
import { collectEvidence, type CaseInput, type CollectOptions, type Evidence } from './collect.js';

let defaultRules: RuleSet | undefined;
/**
 * The shipped rules, loaded once: the build's validated copy while rules/ is
 * as built, else validated now (a broken rule file throws RuleLoadError here,
 * at start-up, naming its file and line).
 */
export function shippedRules(): RuleSet {
  defaultRules ??= loadRulesCached();
  return defaultRules;
}

/** The report of a diagnosis, with the Apple Feedback draft when the diagnosis escalates. */
export function buildReport(diagnosis: Diagnosis): Report {
  const report = reportOf(diagnosis);
  if (diagnosis.escalate) report.escalation = buildEscalation(report);
  return report;
}

export function diagnoseEvidence(evidence: Evidence, answers: readonly Answer[] = [], rules: RuleSet = shippedRules()): { diagnosis: Diagnosis; report: Report } {
  const diagnosis = diagnose({ facts: evidence.facts, answers, problems: evidence.problems }, rules);
  return { diagnosis, report: buildReport(diagnosis) };
}

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
