import type { FactDefinition } from '../schema.js';

/** Facts of the notnow domain (filled in with its readers and rules). */
export const notnowFacts: FactDefinition[] = [];
