import type { Reader } from '../types.js';

/**
 * Every reader pushcheck knows, in a fixed order. Each domain keeps its
 * readers in its own folder under src/evidence/ and lists them here.
 */
export const readers: Reader[] = [];
