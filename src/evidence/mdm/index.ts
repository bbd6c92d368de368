import type { Reader } from '../types.js';

/** Readers of the mdm evidence, in a fixed order. */
export const mdmReaders: Reader[] = [];
