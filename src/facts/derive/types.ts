import type { Fact } from '../schema.js';
import type { Steps } from '../steps.js';

/**
 * Numbers some derivations need, taken from rules/ (`parameters:`). A
 * derivation whose number is not given derives nothing: the rules decide.
 */
export interface DeriveParams {
  /** How soon after a push a contact from the same device still counts as its answer. */
  pushAnswerWindowSeconds?: number;
  /** The PushMagic self-healing period (seed 000: 25 hours). */
  magicRecheckHours?: number;
  /** How long after enrollment a push can lose the race to the device's APNs registration. */
  enrollmentRaceSeconds?: number;
}

/** Computes facts from facts (hashes, time gaps, sequences). Pure and deterministic. */
export type Deriver = (index: ReadonlyMap<string, readonly Fact[]>, params?: DeriveParams) => Fact[];

/**
 * A deriver that reads thousands of observations (a push-heavy bundle's apsd events), written as
 * steps that pause between its parts (facts/steps.ts): the same facts as run at once.
 */
export type SteppedDeriver = (index: ReadonlyMap<string, readonly Fact[]>, params?: DeriveParams) => Steps<Fact[]>;
