import type { Deriver } from './types.js';

/** Facts the apns rules need that are computed from other facts. */
export const apnsDerivers: Deriver[] = [];
