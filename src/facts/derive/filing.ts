import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { hiddenMayBeSeveral, maskedTokenFits, tokenKey } from '../maskedToken.js';
import { duration, iso, momentOf, order, type Moment } from '../time.js';
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

const sysdiagnoseAfterFailure: Deriver = (index) => {
  const failed = moments(index, 'case.failed_push_at');
  const taken = moments(index, 'device.sysdiagnose_at').at(-1);
  if (!failed.length || !taken) return [];
  const last = failed.at(-1)!;
  const o = order(last, taken);
  if (o === 'unknown') return [];
  const out: Fact[] = [
    {
      name: 'case.sysdiagnose_after_failure',
      value: o === 'before',
      source: derived(
        `the sysdiagnose was taken at ${iso(taken.ms)}, ${o === 'before' ? 'after' : 'before'} the latest failed push (${iso(last.ms)}${last.zoneLess ? ', zone unknown' : ''})`,
        ['device.sysdiagnose_at', 'case.failed_push_at'],
      ),
    },
  ];
  const began = moments(index, 'case.failures_began')[0] ?? failed[0];
  if (o === 'before' && !began.zoneLess)
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
  const last = moments(index, 'case.failed_push_at').at(-1);
  if (!last) return [];
  const out: Fact[] = [];
  for (const f of index.get('device.logging_profiles') ?? []) {
    const m = momentOf(f);
    if (!m || order(m, last) !== 'before') continue;
    out.push({
      name: 'case.logging_profile_before_failure',
      value: String(f.value),
      source: derived(`the logging profile ${String(f.value)} was installed at ${f.at}, before the latest failed push (${iso(last.ms)})`, [
        'device.logging_profiles',
        'case.failed_push_at',
      ]),
    });
  }
  return out;
};

/** The earliest failed push on record: Apple wants when failures began, and this is the evidence's bound. */
const failuresSeenFrom: Deriver = (index) => {
  let first: Fact | undefined;
  for (const f of index.get('case.failed_push_at') ?? []) if (f.at && (!first || Date.parse(f.at) < Date.parse(first.at!))) first = f;
  if (!first) return [];
  return [
    {
      name: 'case.failures_seen_from',
      value: first.at!,
      source: derived(`the earliest failed push in the evidence${first.attrs?.zone === 'unknown' ? ' (zone unknown)' : ''}`, ['case.failed_push_at']),
      ...(first.attrs?.zone ? { attrs: { zone: first.attrs.zone } } : {}),
    },
  ];
};

export const filingDerivers: Deriver[] = [appFailedPushes, failuresSeenFrom, sysdiagnoseAfterFailure, loggingBeforeFailure];
