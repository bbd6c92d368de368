import { setImmediate as nextTurn } from 'node:timers/promises';
import { diagnoseSteps } from '../engine/diagnose.js';
import type { RuleSet } from '../engine/loadRules.js';
import type { Report } from '../report/types.js';
import { collectEvidence, type CaseInput, type CollectOptions, type Evidence } from './collect.js';
import { reportSteps, shippedRules } from './evaluate.js';
import { whenIdle } from './idle.js';
import { inSlices } from './steps.js';
import { tracePhase } from './trace.js';

export { buildReport, diagnoseEvidence, evaluateCase, shippedRules } from './evaluate.js';

/** Evidence in, report out: what the CLI and the library's users call. */
export async function runCase(input: CaseInput, opts: CollectOptions & { rules?: RuleSet } = {}): Promise<Report> {
  // The rules are needed once the evidence is read: loaded meanwhile, when reading leaves the main thread idle.
  const cancel = opts.rules
    ? undefined
    : whenIdle(() => {
        shippedRules();
        tracePhase('rules loaded (while reading)');
      });
  let evidence: Evidence | undefined;
  try {
    evidence = await collectEvidence(input, opts);
  } finally {
    cancel?.();
  }
  tracePhase('scanned');
  // The rules, the diagnosis and the report each in a turn of their own: the event loop is not held for all three at once.
  await nextTurn();
  const rules = opts.rules ?? shippedRules();
  await nextTurn();
  const steps = diagnoseSteps({ facts: evidence.facts, answers: input.answers ?? [], problems: evidence.problems }, rules);
  // The scan's facts are the diagnosis's to hold (and drop) from here: not kept beside the report being built.
  evidence = undefined;
  const diagnosis = await inSlices(steps);
  tracePhase('diagnosed');
  await nextTurn();
  const report = await inSlices(reportSteps(diagnosis));
  tracePhase('report built');
  return report;
}
