import type { Reader } from '../types.js';

/** Readers of the apns evidence, in a fixed order. */
export const apnsReaders: Reader[] = [];
