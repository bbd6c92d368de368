import { indexFacts } from '../byName.js';
import { observation } from '../fold.js';
import type { Fact } from '../schema.js';
import { finish, type Steps } from '../steps.js';
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

/**
 * Facts that every deriver reading them reads folded, one observation at a
 * time from the fold's columns: a busy server log's half a million statuses
 * are never rebuilt as facts (derive/notnowEvents.ts, derive/deviceEvents.ts,
 * the command answers, the device-log contacts and the reference time).
 */
const READ_FOLDED: ReadonlySet<string> = new Set([
  'mdm.command.status',
  'notnow.command_sent',
  // A Secure Mail events table of 200,000 rows (derive/securemail.ts reads the latest row of each fold).
  'securemail.apns_event',
  'securemail.apns.failed_operation',
  'securemail.apns.succeeded_operation',
  'securemail.apns.tenant_id',
  'securemail.apns.listener_token',
  'securemail.apns.listener_key',
]);

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
function derive(facts: readonly Fact[], params: DeriveParams = {}): Derived {
  return finish(deriveSteps(facts, params));
}

type Derived = { observed: readonly Fact[]; rezoned: boolean; derived: Fact[] };

/** The same, pausing after the unfolding and after each deriver (a push-heavy bundle's derivations take tens of ms). */
export function* deriveSteps(facts: readonly Fact[], params: DeriveParams = {}): Steps<Derived> {
  // A time typed without a date gets the evidence's date first, so an answered zone then applies to it too.
  const observed = applyLogTimeZone(placeTypedTimes(facts));
  // Facts come folded (facts/fold.ts). Those only derivations that read folds look at stay folded; the
  // rest are unfolded, so each deriver sees every observation.
  const all: Fact[] = [];
  for (const f of observed) {
    if (!f.fold || READ_FOLDED.has(f.name)) all.push(f);
    else
      for (let i = 0; i < f.fold.count; i++) {
        all.push(observation(f, i));
        // A push-heavy bundle unfolds tens of thousands of observations here.
        if ((all.length & 4095) === 0) yield;
      }
  }
  const start = all.length;
  yield;
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
    yield;
  }
  return { observed, rezoned: observed !== facts, derived: all.slice(start) };
}
