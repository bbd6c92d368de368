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
import { placeTypedTimes } from './typedTimes.js';
import type { DeriveParams, Deriver } from './types.js';
import { applyLogTimeZone } from './zones.js';

export type { DeriveParams } from './types.js';

/** Run in order: later derivers see what earlier ones produced. */
const derivers: Deriver[] = [
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
  const { observed, derived } = derive(facts, params);
  return observed.concat(derived);
}

/**
 * The same, kept apart: the observations as the derivations read them (with
 * a zone someone gave applied; `rezoned` says whether any time moved), and
 * what was derived from them.
 */
export function derive(facts: readonly Fact[], params: DeriveParams = {}): { observed: readonly Fact[]; rezoned: boolean; derived: Fact[] } {
  // A time typed without a date gets the evidence's date first, so an answered zone then applies to it too.
  const observed = applyLogTimeZone(placeTypedTimes(facts));
  const all = observed.slice();
  // One index, grown as derivers add to it: rebuilding it per deriver costs a pass over every observation each time.
  const index = indexFacts(all);
  for (const d of derivers) {
    const more = d(index, params);
    // A loop, not push(...more): a long log derives more facts than a call's arguments may hold.
    for (const f of more) {
      all.push(f);
      const list = index.get(f.name);
      if (list) list.push(f);
      else index.set(f.name, [f]);
    }
  }
  return { observed, rezoned: observed !== facts, derived: all.slice(observed.length) };
}
