import { indexFacts } from '../byName.js';
import type { Fact } from '../schema.js';
import { apnsDerivers } from './apns.js';
import { deviceLogDerivers } from './deviceLog.js';
import { enrollmentDerivers } from './enrollment.js';
import { filingDerivers } from './filing.js';
import { mdmDerivers } from './mdm.js';
import { notnowDerivers } from './notnow.js';
import { providerDerivers } from './provider.js';
import { pushFacts } from './pushes.js';
import { pushInfoDerivers } from './pushInfo.js';
import { securemailDerivers } from './securemail.js';
import { statedAnswers } from './statedAnswer.js';
import type { DeriveParams, Deriver } from './types.js';
import { applyLogTimeZone } from './zones.js';

export type { DeriveParams } from './types.js';

/** Run in order: later derivers see what earlier ones produced. */
export const derivers: Deriver[] = [
  // First: an APNs answer told in words becomes the MDM server's before any push is judged.
  statedAnswers,
  ...mdmDerivers,
  // Before pushInfo: whether a push was answered is one of the signs that the server holds push details.
  pushFacts,
  ...pushInfoDerivers,
  ...apnsDerivers,
  ...filingDerivers,
  ...notnowDerivers,
  ...securemailDerivers,
  ...providerDerivers,
  ...enrollmentDerivers,
  ...deviceLogDerivers,
];

/**
 * Facts computed from facts. A zone someone gave for the server log is
 * applied first, so every derivation compares real times.
 */
export function deriveFacts(facts: readonly Fact[], params: DeriveParams = {}): Fact[] {
  let all = applyLogTimeZone(facts);
  for (const d of derivers) {
    const more = d(indexFacts(all), params);
    // concat, not push(...more): a long log derives more facts than a call's arguments may hold.
    if (more.length) all = all.concat(more);
  }
  return all;
}
