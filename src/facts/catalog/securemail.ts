import type { FactDefinition } from '../schema.js';

/** Facts of the securemail domain (filled in with its readers and rules). */
export const securemailFacts: FactDefinition[] = [];
