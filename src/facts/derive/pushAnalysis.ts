import type { Fact } from '../schema.js';
import { iso, momentOf, order, type Moment } from '../time.js';
import { caseDevices, type CaseDevices, type Device } from './caseDevices.js';
import type { DeviceEvent } from './deviceEvents.js';
import { evidenceEnds, judgePushes, type Verdict } from './pushVerdicts.js';
import type { DeriveParams } from './types.js';

/**
 * What the pushes in the evidence say, judged for the device the case is
 * about: whether its latest push was answered, which pushes failed (with
 * APNs's answer), when it last reached the server after the failure, and the
 * enrollment race. Every comparison of times goes through facts/time.ts, so a
 * zone-less log is never read as UTC against another log's times.
 */

export type Index = ReadonlyMap<string, readonly Fact[]>;
export const derived = (how: string, from: string[]): Fact['source'] => ({ kind: 'derived', how, from });

export interface PushAnalysis {
  cases: CaseDevices;
  device?: Device;
  verdicts: Verdict[];
  windowMs: number;
  /** When the failure under diagnosis happened: the latest unanswered push, or when failures began (answered). */
  failure?: { m: Moment; what: string };
  /** A failure is on record but its time is not (and nothing else dates the failure). */
  failureUntimed: boolean;
  /** APNs's answer to a failing push was stated without a time, and no push is known answered. */
  untimedFailure?: Fact;
  /** Events whose zone-less time kept a comparison from being made (beyond the push verdicts). */
  zoneBlocked: DeviceEvent[];
}

export function isoOf(m: Moment): string {
  return iso(m.ms);
}

/** "09:14:58Z on 2024-03-04" is harder to scan than the ISO time; zone-less times say so. */
export function when(e: DeviceEvent): string {
  return `${e.fact.at}${e.m.zoneLess ? ' (zone unknown)' : ''}`;
}

/** The APNs answer to a push, when the evidence has it: the logged HTTP status, or an apns-id with no error. */
export function apnsAnswer(e: DeviceEvent): { value: string; status?: string; reason?: string } | undefined {
  const a = e.fact.attrs ?? {};
  if (e.fact.name === 'mdm.apns_response')
    return { value: String(e.fact.value), ...(a.status ? { status: a.status } : {}), ...(a.reason ? { reason: a.reason } : {}) };
  if (a.status && /^\d{3}$/.test(a.status))
    return { value: [a.status, a.reason].filter(Boolean).join(' '), status: a.status, ...(a.reason ? { reason: a.reason } : {}) };
  // APNs hands back an apns-id only with an accepted push; servers log it beside pushes that raised no error.
  if (a.apns_id && !a.error && a.status !== 'failed') return { value: '200', status: '200' };
  return undefined;
}

/** APNs answers stated without a time (a paste, an answer to q.mdm.push_status): they speak for the failing push. */
export function untimedStatus(index: Index): Fact | undefined {
  return (index.get('server.push_status') ?? []).filter((f) => !f.at).at(-1);
}

export function latestTime(index: Index, name: string): Moment | undefined {
  let best: Moment | undefined;
  for (const f of index.get(name) ?? []) {
    const m = momentOf({ ...f, at: f.at ?? String(f.value) });
    if (m && (!best || m.ms > best.ms)) best = m;
  }
  return best;
}

export function analysePushes(index: Index, params: DeriveParams): PushAnalysis | undefined {
  if (!params.pushAnswerWindowSeconds) return undefined;
  const windowMs = params.pushAnswerWindowSeconds * 1000;
  const cases = caseDevices(index);
  const device = cases.subject;
  const verdicts = device ? judgePushes(device, windowMs, evidenceEnds(index)) : [];
  const unanswered = verdicts.filter((v) => v.verdict === 'unanswered');
  const last = unanswered.at(-1);
  const lastFailed = last?.push;
  const began = latestTime(index, 'case.failures_began');
  let failure: PushAnalysis['failure'];
  if (lastFailed)
    failure = {
      m: lastFailed.m,
      what: `the latest push ${last?.verdict === 'unanswered' && last.refused ? 'that failed' : 'it did not answer'} (${when(lastFailed)}, ${lastFailed.where})`,
    };
  if (began && (!failure || order(failure.m, began) === 'before')) failure = { m: began, what: `when pushes started failing (${isoOf(began)}, answered)` };
  const untimed = verdicts.some((v) => v.verdict === 'answered') ? undefined : untimedStatus(index);
  const failureUntimed = !failure && !!untimed;
  return {
    cases,
    device,
    verdicts,
    windowMs,
    ...(failure ? { failure } : {}),
    failureUntimed,
    ...(untimed ? { untimedFailure: untimed } : {}),
    zoneBlocked: [],
  };
}

export function zoneAttr(e: DeviceEvent): Record<string, string> {
  return e.fact.attrs?.zone ? { zone: e.fact.attrs.zone } : {};
}
