// The library's public surface: re-exports only.
export { collectEvidence, diagnoseEvidence, runCase, shippedRules, type CaseInput, type Evidence, type Paste } from './pipeline.js';
export { diagnose, type Diagnosis, type CauseStatus } from './engine/diagnose.js';
export { loadRules, RuleLoadError, type RuleSet } from './engine/loadRules.js';
export type { Answer } from './engine/answers.js';
export { readPath, readPaste, readStream } from './evidence/read.js';
export { DEFAULT_LIMITS, type Limits } from './evidence/types.js';
export type { Fact, Problem, Source } from './facts/schema.js';
export { buildReport } from './report/build.js';
export type { Report } from './report/types.js';
export { renderJson, renderMarkdown, renderText } from './report/render/index.js';
export * from './escalation/index.js';
export { renderTimelinePng, timelineSvg } from './timeline/index.js';
