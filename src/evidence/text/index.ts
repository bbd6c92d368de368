import type { Reader } from '../types.js';

/** Readers of the text evidence, in a fixed order. */
export const textReaders: Reader[] = [];
