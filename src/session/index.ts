export { DiagnosisSessions, type AnswerOutcome, type FileInput, type Outcome, type Who } from './service.js';
export { describeChanges } from './changes.js';
export { parseKeyValues, type ServerValues } from './serverValues.js';
