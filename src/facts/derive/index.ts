import { indexFacts } from '../../engine/evaluate.js';
import type { Fact } from '../schema.js';
import { apnsDerivers } from './apns.js';
import { deviceLogDerivers } from './deviceLog.js';
import { enrollmentDerivers } from './enrollment.js';
import { mdmDerivers } from './mdm.js';
import { notnowDerivers } from './notnow.js';
import { providerDerivers } from './provider.js';
import { pushInfoDerivers } from './pushInfo.js';
import { securemailDerivers } from './securemail.js';
import type { Deriver } from './types.js';

/** Run in order: later derivers see what earlier ones produced. */
export const derivers: Deriver[] = [
  ...mdmDerivers,
  ...pushInfoDerivers,
  ...apnsDerivers,
  ...notnowDerivers,
  ...securemailDerivers,
  ...providerDerivers,
  ...enrollmentDerivers,
  ...deviceLogDerivers,
];

export function deriveFacts(facts: readonly Fact[]): Fact[] {
  let all = [...facts];
  for (const d of derivers) all = all.concat(d(indexFacts(all)));
  return all;
}
