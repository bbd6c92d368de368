import type { Answer } from '../engine/answers.js';
import { diagnose, type Diagnosis } from '../engine/diagnose.js';
import type { RuleSet } from '../engine/ruleSet.js';
import { loadRulesCached } from '../engine/rulesCache.js';
import { buildEscalation } from '../escalation/draft.js';
import { buildReportSteps } from '../report/build.js';
import { finish, type Steps } from '../facts/steps.js';
import type { Fact, Problem } from '../facts/schema.js';
import type { Report } from '../report/types.js';
import type { Evidence } from './collect.js';

// Facts in, report out: what evaluating a case needs and nothing of reading
// evidence (a worker thread that only evaluates loads no reader).

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
  return finish(reportSteps(diagnosis));
}

/** The same, pausing between its phases (case/steps.ts runs it in slices). */
export function* reportSteps(diagnosis: Diagnosis): Steps<Report> {
  const report = yield* buildReportSteps(diagnosis);
  if (diagnosis.escalate) report.escalation = buildEscalation(report);
  return report;
}

export function diagnoseEvidence(
  evidence: Evidence,
  answers: readonly Answer[] = [],
  rules: RuleSet = shippedRules(),
): { diagnosis: Diagnosis; report: Report } {
  const diagnosis = diagnose({ facts: evidence.facts, answers, problems: evidence.problems }, rules);
  return { diagnosis, report: buildReport(diagnosis) };
}

/**
 * The diagnosis of a case as stored: its evidence batches in the order they
 * were added, and its answers. The service and a Slack worker thread (which
 * keeps a case's parsed batches between clicks) both evaluate through here.
 */
export function evaluateCase(
  batches: readonly { facts: readonly Fact[]; problems: readonly Problem[] }[],
  answers: readonly Answer[],
  rules: RuleSet = shippedRules(),
): { diagnosis: Diagnosis; report: Report } {
  const facts: Fact[] = [];
  const problems: Problem[] = [];
  for (const b of batches) {
    for (const f of b.facts) facts.push(f); // a spread of 100k+ items overflows the call stack
    for (const p of b.problems) problems.push(p);
  }
  return diagnoseEvidence({ facts, problems }, answers, rules);
}
