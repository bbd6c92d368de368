import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { hiddenMayBeSeveral, maskedTokenFits, tokenKey } from '../maskedToken.js';
import { duration, iso, momentOf, order, type Moment, type Order } from '../time.js';
import { receiptFinder } from './appDelivery.js';
import { answeredCaseDevice } from './caseAnswer.js';
import { isProviderPace } from './providerPace.js';
import { statedAnswersAreMdm } from './statedAnswer.js';
import type { Deriver } from './types.js';

/**
 * What the Feedback checklist turns on, stated as facts the rules can test:
 * app-push answers as failed pushes, and whether the sysdiagnose and the
 * logging profiles came after / before the failed push (only provable
 * orders count: a sysdiagnose is "taken after the failure" only when its
 * time is after the failed push's).
 */

type Index = ReadonlyMap<string, readonly Fact[]>;
const derived = (how: string, from: string[]): Fact['source'] => ({ kind: 'derived', how, from });

/**
 * App pushes: each APNs answer on record is a push whose notification the case says never arrived,
 * unless the device's own log shows it arriving (then it did not fail, and Apple has nothing to look up).
 */
const KEEP = 50;
const appFailedPushes: Deriver = (index, params = {}) => {
  const windowMs = params.pushAnswerWindowSeconds ? params.pushAnswerWindowSeconds * 1000 : undefined;
  const all = index.get('apns.response') ?? [];
  // An answer told in words in an MDM case is the MDM server's (derive/statedAnswer.ts), not an app push's.
  // Asked only when some answer was told in words: the question walks every fact of the case.
  const mdmCase = all.some((f) => f.attrs?.stated) && statedAnswersAreMdm(index);
  const receiptOf = receiptFinder(index, windowMs);
  const answers = [...all]
    .filter((f) => !tooManyToOneToken(f) && !receiptOf(f) && !(f.attrs?.stated && mdmCase))
    .sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? -1 : (a.at ?? '') > (b.at ?? '') ? 1 : 0));
  const { mine, token } = thisTokensAnswers(answers, index);
  const kept = mine.length > KEEP ? [...mine.slice(0, 10), ...mine.slice(-(KEEP - 10))] : mine;
  const out: Fact[] = [];
  if (token && kept.length)
    out.push({
      name: 'case.failed_push_token',
      value: token,
      source: derived("the device token of the failed app pushes in the provider's log", ['apns.response', 'case.device_id']),
    });
  for (const f of kept) {
    const a = f.attrs ?? {};
    const attrs: Record<string, string> = { domain: 'apns', response: [a.status, a.reason].filter(Boolean).join(' ') || String(f.value) };
    for (const k of ['status', 'reason', 'apns_id', 'zone'] as const) if (a[k]) attrs[k] = a[k];
    // Its own log line: an answer folded with others (same token, same status) is still a push of its own there.
    if (f.source.kind !== 'derived') attrs.push = describeSource(f.source);
    const src = derived(`an APNs answer to an app push (${f.value})`, ['apns.response']);
    out.push({ name: 'case.failed_push', value: attrs.response, ...(f.at ? { at: f.at } : {}), source: src, attrs });
    if (f.at) out.push({ name: 'case.failed_push_at', value: f.at, at: f.at, source: src, attrs: { domain: 'apns', ...(a.zone ? { zone: a.zone } : {}) } });
  }
  return out;
};

/**
 * A provider's log answers pushes to every copy of the app. Apple looks up one device's pushes: with
 * several tokens, those of the token the case named (q.case.device), and none while it names none.
 */
function thisTokensAnswers(every: Fact[], index: Index): { mine: Fact[]; token?: string } {
  const named = answeredCaseDevice(index)?.toLowerCase();
  // A masked token is the whole token (the log's or the case's) its ends fit, else a device of its own.
  const whole = [...(named ? [named] : []), ...every.flatMap((f) => (f.attrs?.token ? [f.attrs.token] : []))];
  // Answers whose token the log hid whole are one device's only while nothing says they may be several.
  const several = hiddenMayBeSeveral(index.get('apns.response') ?? []);
  const tokenOf = (f: Fact) => tokenKey(f.attrs, whole, several)?.toLowerCase();
  // A push whose line masked its token is another device's when the token's two ends cannot be the case's.
  const answers = named && /^[0-9a-f]{64}$/.test(named) ? every.filter((f) => !f.attrs?.token_masked || maskedTokenFits(f.attrs.token_masked, named)) : every;
  const tokens = new Set(answers.map(tokenOf).filter((t): t is string => !!t));
  if (tokens.size === 0) return { mine: answers };
  // Named by a token the log never pushed to: the log's pushes are another device's.
  if (named && /^[0-9a-f]{64}$/.test(named) && !tokens.has(named)) return { mine: answers.filter((f) => !tokenOf(f)) };
  if (tokens.size === 1) return { mine: answers, token: [...tokens][0] };
  if (!named || !tokens.has(named)) return { mine: [] };
  return { mine: answers.filter((f) => !tokenOf(f) || tokenOf(f) === named), token: named };
}

const tooManyToOneToken = (f: Fact) => isProviderPace(String(f.value), f.attrs?.status, f.attrs?.reason);

function moments(index: Index, name: string): Moment[] {
  const out: Moment[] = [];
  for (const f of index.get(name) ?? []) {
    const m = momentOf({ ...f, at: f.at ?? String(f.value) });
    if (m) out.push(m);
  }
  return out.sort((a, b) => a.ms - b.ms);
}

/**
 * The failed pushes no other is provably earlier (or later) than, by the time model of every other judgement: one
 * log's lines in their order, a zone-less time never compared with a zoned one as if both were UTC. One moment
 * when the evidence tells, several when it cannot (a zone-less server log's push beside a zoned one's).
 */
function extremes(ms: readonly Moment[], which: 'earliest' | 'latest'): Moment[] {
  const beats: Order = which === 'earliest' ? 'before' : 'after';
  const out = ms.filter((m) => !ms.some((x) => x !== m && order(x, m) === beats));
  // The same time of one clock (two pushes in one second) is one answer.
  return out.filter((m, i) => !out.slice(0, i).some((x) => x.ms === m.ms && x.zoneLess === m.zoneLess && x.src === m.src));
}

/** A failed push's time as its log wrote it: a zone-less one without the Z of the ISO form it is kept in. */
const wallClock = (m: Moment) =>
  iso(m.ms)
    .replace('T', ' ')
    .replace(/(\.000)?Z$/, '');
const timeWords = (m: Moment) => `${iso(m.ms)}${m.zoneLess ? ', zone unknown' : ''}`;

const sysdiagnoseAfterFailure: Deriver = (index) => {
  const failed = moments(index, 'case.failed_push_at');
  const taken = moments(index, 'device.sysdiagnose_at').at(-1);
  if (!failed.length || !taken) return [];
  // After the latest failed push means after every one; before one of them is before the latest. A push whose
  // time cannot be ordered against the sysdiagnose's (a zone-less server log) leaves it unknown.
  const before = failed.find((f) => order(taken, f) === 'before');
  const after = !before && failed.every((f) => order(f, taken) === 'before');
  if (!before && !after) return [];
  const last = before ?? extremes(failed, 'latest')[0];
  const out: Fact[] = [
    {
      name: 'case.sysdiagnose_after_failure',
      value: after,
      source: derived(
        after
          ? `the sysdiagnose was taken at ${iso(taken.ms)}, after the latest failed push (${timeWords(last)})`
          : `the sysdiagnose was taken at ${iso(taken.ms)}, before a failed push (${timeWords(last)})`,
        ['device.sysdiagnose_at', 'case.failed_push_at'],
      ),
    },
  ];
  const firsts = extremes(failed, 'earliest');
  const began = moments(index, 'case.failures_began')[0] ?? (firsts.length === 1 ? firsts[0] : undefined);
  if (after && began && !began.zoneLess)
    out.push({
      name: 'case.sysdiagnose_days_after_failures_began',
      value: Math.round(((taken.ms - began.ms) / 86_400_000) * 10) / 10,
      source: derived(`the sysdiagnose was taken ${duration(taken.ms - began.ms)} after the failures began (${iso(began.ms)})`, [
        'device.sysdiagnose_at',
        'case.failures_began',
        'case.failed_push_at',
      ]),
    });
  return out;
};

/** A logging profile helps only if it was installed before the failure was reproduced. */
const loggingBeforeFailure: Deriver = (index) => {
  const failed = moments(index, 'case.failed_push_at');
  if (!failed.length) return [];
  const out: Fact[] = [];
  for (const f of index.get('device.logging_profiles') ?? []) {
    const m = momentOf(f);
    // Before one failed push is before the latest: the latest is that one or later.
    const push = m && failed.filter((p) => order(m, p) === 'before').at(-1);
    if (!push) continue;
    out.push({
      name: 'case.logging_profile_before_failure',
      value: String(f.value),
      source: derived(`the logging profile ${String(f.value)} was installed at ${f.at}, before a failed push (${timeWords(push)})`, [
        'device.logging_profiles',
        'case.failed_push_at',
      ]),
    });
  }
  return out;
};

/**
 * The earliest failed push on record: Apple wants when failures began, and this is the evidence's bound. A time
 * from a log without a zone stays the wall clock it was logged at (zone unknown). When a zone-less push and a
 * zoned one cannot be ordered, the zoned one is given (a time Apple can look up), marked order=unknown with the
 * zone-less rival beside it: either may be the earlier.
 */
const failuresSeenFrom: Deriver = (index) => {
  const failed = index.get('case.failed_push_at') ?? [];
  const byMoment = new Map<Moment, Fact>();
  for (const f of failed) {
    const m = momentOf(f);
    if (m) byMoment.set(m, f);
  }
  const firsts = extremes([...byMoment.keys()], 'earliest').sort((a, b) => Number(a.zoneLess) - Number(b.zoneLess) || a.ms - b.ms);
  if (!firsts.length) return [];
  const first = firsts[0];
  const fact = byMoment.get(first)!;
  const rivals = firsts.slice(1);
  const attrs: Record<string, string> = {
    ...(fact.attrs?.zone ? { zone: fact.attrs.zone } : {}),
    ...(rivals.length ? { order: 'unknown', rival: rivals.map((m) => `${wallClock(m)}${m.zoneLess ? ' (zone unknown)' : ' UTC'}`).join(', ') } : {}),
  };
  return [
    {
      name: 'case.failures_seen_from',
      value: fact.at!,
      source: derived(
        rivals.length
          ? `the earliest failed push ${first.zoneLess ? 'of its log (zone unknown)' : 'with a known zone'}; ${attrs.rival}, from another log, cannot be ordered against it (a log without a zone) and may be earlier`
          : `the earliest failed push in the evidence${first.zoneLess ? ' (zone unknown)' : ''}`,
        ['case.failed_push_at'],
      ),
      ...(Object.keys(attrs).length ? { attrs } : {}),
    },
  ];
};

export const filingDerivers: Deriver[] = [appFailedPushes, failuresSeenFrom, sysdiagnoseAfterFailure, loggingBeforeFailure];
