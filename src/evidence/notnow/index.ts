import type { Reader } from '../types.js';

/** Readers of the notnow evidence, in a fixed order. */
export const notnowReaders: Reader[] = [];
