import type { Reader } from '../types.js';

/** Readers of the paste evidence, in a fixed order. */
export const pasteReaders: Reader[] = [];
