import type { Deriver } from './types.js';

/** Facts the notnow rules need that are computed from other facts. */
export const notnowDerivers: Deriver[] = [];
