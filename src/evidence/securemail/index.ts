import type { Reader } from '../types.js';

/** Readers of the securemail evidence, in a fixed order. */
export const securemailReaders: Reader[] = [];
