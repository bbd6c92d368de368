import type { Deriver } from './types.js';

/** Facts the securemail rules need that are computed from other facts. */
export const securemailDerivers: Deriver[] = [];
