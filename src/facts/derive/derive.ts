import { observation } from '../fold.js';
import type { Fact } from '../schema.js';
import { finish, type Steps } from '../steps.js';
import { apnsDerivers } from './apns.js';
import { deviceLogDerivers } from './deviceLog.js';
import { enrollmentDerivers } from './enrollment.js';
import { filingDerivers } from './filing.js';
import { magicDiffersInCase } from './magicCase.js';
import { mdmDerivers } from './mdm.js';
import { notnowDerivers } from './notnow.js';
import { providerDerivers } from './provider.js';
import { pushFacts } from './pushes.js';
import { pushInfoDerivers } from './pushInfo.js';
import { securemailDerivers } from './securemail.js';
import { statedAnswers } from './statedAnswer.js';
import { tokenUpdateOfOtherDevices } from './tokenUpdates.js';
import { placeTypedTimes } from './typedTimes.js';
import type { DeriveParams, Deriver, SteppedDeriver } from './types.js';
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
  // The topic a provider's log names on every push line: its derivations read the topics (and tokens) named, not each line.
  'apns.topic',
]);

/** Run in order: later derivers see what earlier ones produced. */
const derivers: (Deriver | SteppedDeriver)[] = [
  // First: an APNs answer told in words becomes the MDM server's before any push is judged.
  statedAnswers,
  ...mdmDerivers,
  // Before pushInfo: whether a push was answered is one of the signs that the server holds push details.
  pushFacts,
  // After pushFacts: it needs the case's device.
  tokenUpdateOfOtherDevices,
  magicDiffersInCase,
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

/** The same, pausing after each deriver (a push-heavy bundle's derivations take tens of ms). */
export function* deriveSteps(facts: readonly Fact[], params: DeriveParams = {}): Steps<Derived> {
  // A time typed without a date gets the evidence's date first, so an answered zone then applies to it too.
  const observed = applyLogTimeZone(placeTypedTimes(facts));
  // One index, grown as derivers add to it: rebuilding it per deriver costs a pass over every observation each time.
  const index = new UnfoldingIndex(observed);
  const derived: Fact[] = [];
  yield;
  for (const d of derivers) {
    const r = d(index, params);
    const more = Array.isArray(r) ? r : yield* r;
    // A loop, not push(...more): a long log derives more facts than a call's arguments may hold.
    for (const f of more) {
      derived.push(f);
      const list = index.get(f.name);
      if (list) list.push(f);
      else index.set(f.name, [f]);
    }
    yield;
  }
  return { observed, rezoned: observed !== facts, derived };
}

/**
 * The derivers' facts by name. Facts come folded (facts/fold.ts): those only derivations that read
 * folds look at stay folded, the rest are unfolded so that each deriver sees every observation. A
 * name's folds are unfolded when it is first looked up (or the index walked), not before: a busy
 * bundle's folds that no deriver reads (MDM lines, redacted-line counts: half of a push-heavy
 * bundle's observations) are never rebuilt one observation at a time.
 */
class UnfoldingIndex extends Map<string, Fact[]> {
  /** Names whose list still holds folded facts. */
  private readonly folded = new Set<string>();

  constructor(facts: readonly Fact[]) {
    super();
    for (const f of facts) {
      const list = super.get(f.name);
      if (list) list.push(f);
      else super.set(f.name, [f]);
      if (f.fold && !READ_FOLDED.has(f.name)) this.folded.add(f.name);
    }
  }

  override get(name: string): Fact[] | undefined {
    const list = super.get(name);
    return list && this.folded.has(name) ? this.unfold(name, list) : list;
  }

  private unfold(name: string, list: Fact[]): Fact[] {
    this.folded.delete(name);
    const all: Fact[] = [];
    for (const f of list)
      if (!f.fold || READ_FOLDED.has(f.name)) all.push(f);
      else for (let i = 0; i < f.fold.count; i++) all.push(observation(f, i));
    super.set(name, all);
    return all;
  }

  /** Walking the index sees every observation, as looking a name up does. */
  private unfoldAll(): void {
    for (const name of [...this.folded]) this.unfold(name, super.get(name)!);
  }

  override entries(): MapIterator<[string, Fact[]]> {
    this.unfoldAll();
    return super.entries();
  }

  override values(): MapIterator<Fact[]> {
    this.unfoldAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, Fact[]]> {
    this.unfoldAll();
    return super[Symbol.iterator]();
  }

  override forEach(fn: (value: Fact[], key: string, map: Map<string, Fact[]>) => void, thisArg?: unknown): void {
    this.unfoldAll();
    super.forEach(fn, thisArg);
  }
}
