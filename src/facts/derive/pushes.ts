import { reachedFacts, soonAfterEnrollmentFacts } from './afterFailure.js';
import { arrivedFacts } from './arrived.js';
import { failedPushFacts } from './failedPushes.js';
import { magicFacts, supersededFacts } from './magic.js';
import { analysePushes } from './pushAnalysis.js';
import { answeredFacts, commandAnswerFacts, lastCheckinFacts, subjectFacts, zoneFacts } from './pushAnswered.js';
import { raceFacts } from './race.js';
import type { Fact } from '../schema.js';
import type { SteppedDeriver } from './types.js';

/** All push facts in one pass over the evidence (the grouping is the costly part). */
export const pushFacts: SteppedDeriver = function* (index, params = {}) {
  const a = analysePushes(index, params);
  if (!a) return [];
  yield;
  const magic = magicFacts(a, index, params);
  const left = (f: Fact) =>
    (f.name === 'device.mdm_enrolled' && f.value === false) || f.name === 'mdm.push_after_checkout' || f.name === 'mdm.checkout_after_pushes';
  let reached = reachedFacts(a, index);
  const enrolledKnown = reached.some((f) => f.name === 'device.mdm_enrolled' && !left(f)) || (index.get('device.mdm_enrolled') ?? []).length > 0;
  yield;
  const arrived = arrivedFacts(a, index, enrolledKnown);
  // A push reaching the device after the failure is the device's word, not to be met with "it left" from a CheckOut.
  if (arrived.length) reached = reached.filter((f) => !left(f));
  yield;
  // In this order in the result, each part in a step of its own (a push-heavy bundle's took 20-30 ms together).
  const parts: (readonly Fact[] | (() => readonly Fact[]))[] = [
    () => subjectFacts(a),
    () => answeredFacts(a, index),
    magic,
    () => (magic.some((f) => f.name === 'mdm.wrong_magic_healed') ? [] : supersededFacts(a, index)),
    () => zoneFacts(a),
    () => failedPushFacts(a, index),
    reached,
    arrived,
    () => raceFacts(a, params),
    () => soonAfterEnrollmentFacts(a, index),
    () => commandAnswerFacts(a, index),
    () => lastCheckinFacts(a, index),
  ];
  const out: Fact[] = [];
  for (const part of parts) {
    for (const f of typeof part === 'function' ? part() : part) out.push(f);
    if (typeof part === 'function') yield;
  }
  return out;
};
