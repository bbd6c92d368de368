// Facts computed from facts, in one ordered pass over the case's observations. Re-exports only.
export { derive, deriveFacts } from './derive.js';
