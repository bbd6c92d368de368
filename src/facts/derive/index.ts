// Facts computed from facts, in one ordered pass over the case's observations. Re-exports only.
export { deriveFacts, deriveSteps } from './derive.js';
