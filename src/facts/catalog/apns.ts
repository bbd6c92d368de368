import type { FactDefinition } from '../schema.js';

/** Facts of the apns domain (filled in with its readers and rules). */
export const apnsFacts: FactDefinition[] = [];
