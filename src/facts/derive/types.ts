import type { Fact } from '../schema.js';

/** Computes facts from facts (hashes, time gaps, sequences). Pure and deterministic. */
export type Deriver = (index: ReadonlyMap<string, readonly Fact[]>) => Fact[];
