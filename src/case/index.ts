// The case service: the only door into the pipeline for the CLI, the terminal,
// Slack and the library entry (src/index.ts). Re-exports only.
export { collectEvidence, type CaseInput, type Evidence, type Paste } from './collect.js';
export { buildReport, diagnoseEvidence, runCase, shippedRules } from './report.js';
export {
  CaseService,
  type AnswerRecord,
  type CaseSnapshot,
  type ReadJson,
  type Recorded,
  type Who,
} from './service.js';
export { describeChanges, type ReportGist } from './changes.js';
export { tracePhase } from './trace.js';
export { parseKeyValues, type ServerValues } from './serverValues.js';

// What callers of the service name in their own code: answers, rules, limits, facts.
export { diagnose, type CauseStatus, type Diagnosis } from '../engine/diagnose.js';
export { loadRules, RuleLoadError, type RuleSet } from '../engine/loadRules.js';
export type { Answer } from '../engine/answers.js';
export { readPasteFile, readPasteStream, readPath, readPaste, readStream } from '../evidence/read.js';
export { DEFAULT_LIMITS, type Limits, type Progress } from '../evidence/types.js';
export type { Fact, Problem, Source } from '../facts/schema.js';
export * from '../escalation/index.js';
