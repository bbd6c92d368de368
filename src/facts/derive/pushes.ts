import { reachedFacts, soonAfterEnrollmentFacts } from './afterFailure.js';
import { failedPushFacts } from './failedPushes.js';
import { magicFacts } from './magic.js';
import { analysePushes } from './pushAnalysis.js';
import { answeredFacts, commandAnswerFacts, subjectFacts, zoneFacts } from './pushAnswered.js';
import { raceFacts } from './race.js';
import type { Deriver } from './types.js';

export type { PushAnalysis } from './pushAnalysis.js';

/** All push facts in one pass over the evidence (the grouping is the costly part). */
export const pushFacts: Deriver = (index, params = {}) => {
  const a = analysePushes(index, params);
  if (!a) return [];
  const magic = magicFacts(a, index, params);
  return [
    ...subjectFacts(a),
    ...answeredFacts(a, index),
    ...magic,
    ...zoneFacts(a),
    ...failedPushFacts(a, index),
    ...reachedFacts(a),
    ...raceFacts(a, params),
    ...soonAfterEnrollmentFacts(a, index),
    ...commandAnswerFacts(a, index),
  ];
};

