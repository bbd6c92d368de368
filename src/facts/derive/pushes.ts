import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { duration, iso, momentOf, order, shift, type Moment } from '../time.js';
import { caseDevices, isOwn, type CaseDevices, type Device, type DeviceEvent } from './deviceEvents.js';
import { magicFacts } from './magic.js';
import { evidenceEnds, judgePushes, type Verdict } from './pushVerdicts.js';
import type { DeriveParams, Deriver } from './types.js';

/**
 * What the pushes in the evidence say, judged for the device the case is
 * about: whether its latest push was answered, which pushes failed (with
 * APNs's answer), when it last reached the server after the failure, and the
 * enrollment race. Every comparison of times goes through facts/time.ts, so a
 * zone-less log is never read as UTC against another log's times.
 */

type Index = ReadonlyMap<string, readonly Fact[]>;
const derived = (how: string, from: string[]): Fact['source'] => ({ kind: 'derived', how, from });

/** Failed pushes kept as facts: the earliest and the latest (a long log can hold thousands). */
const KEEP_EARLIEST = 10;
const KEEP_LATEST = 40;

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

function isoOf(m: Moment): string {
  return iso(m.ms);
}

/** "09:14:58Z on 2024-03-04" is harder to scan than the ISO time; zone-less times say so. */
function when(e: DeviceEvent): string {
  return `${e.fact.at}${e.m.zoneLess ? ' (zone unknown)' : ''}`;
}

/** The APNs answer to a push, when the evidence has it: the logged HTTP status, or an apns-id with no error. */
function apnsAnswer(e: DeviceEvent): { value: string; status?: string; reason?: string } | undefined {
  const a = e.fact.attrs ?? {};
  if (e.fact.name === 'mdm.apns_response') return { value: String(e.fact.value), ...(a.status ? { status: a.status } : {}), ...(a.reason ? { reason: a.reason } : {}) };
  if (a.status && /^\d{3}$/.test(a.status)) return { value: [a.status, a.reason].filter(Boolean).join(' '), status: a.status, ...(a.reason ? { reason: a.reason } : {}) };
  // APNs hands back an apns-id only with an accepted push; servers log it beside pushes that raised no error.
  if (a.apns_id && !a.error && a.status !== 'failed') return { value: '200', status: '200' };
  return undefined;
}

/** APNs answers stated without a time (a paste, an answer to q.mdm.push_status): they speak for the failing push. */
function untimedStatus(index: Index): Fact | undefined {
  return (index.get('server.push_status') ?? []).filter((f) => !f.at).at(-1);
}

function latestTime(index: Index, name: string): Moment | undefined {
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
  const lastFailed = unanswered.at(-1)?.push;
  const began = latestTime(index, 'case.failures_began');
  let failure: PushAnalysis['failure'];
  if (lastFailed) failure = { m: lastFailed.m, what: `the latest push it did not answer (${when(lastFailed)}, ${lastFailed.where})` };
  if (began && (!failure || order(failure.m, began) === 'before')) failure = { m: began, what: `when pushes started failing (${isoOf(began)}, answered)` };
  const untimed = verdicts.some((v) => v.verdict === 'answered') ? undefined : untimedStatus(index);
  const failureUntimed = !failure && !!untimed;
  return { cases, device, verdicts, windowMs, ...(failure ? { failure } : {}), failureUntimed, ...(untimed ? { untimedFailure: untimed } : {}), zoneBlocked: [] };
}

/** The device the case is about, for the report and the draft. */
function subjectFacts(a: PushAnalysis): Fact[] {
  const out: Fact[] = [];
  const d = a.device;
  if (d && d.ids.length) {
    const attrs: Record<string, string> = {};
    for (const e of [...d.pushes, ...d.contacts])
      for (const k of ['udid', 'enrollment_id', 'serial', 'device_id'] as const) {
        const v = e.fact.attrs?.[k] ?? (k === 'udid' ? e.fact.attrs?.device : undefined);
        if (v && !attrs[k]) attrs[k] = v;
      }
    out.push({ name: 'case.device', value: d.label, source: derived(`the device the case is about: ${a.cases.chosen}`, ['server.push_sent', 'mdm.command.status', 'device.udid', 'case.device_id']), attrs });
  }
  if (!d && a.cases.candidates.length > 1) {
    const names = a.cases.candidates.map((c) => c.label);
    out.push({
      name: 'case.device_unresolved',
      value: names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', '),
      source: derived(`the evidence holds ${names.length} devices and does not say which one the case is about`, ['server.push_sent', 'mdm.command.status', 'device.udid']),
    });
  }
  return out;
}

/** Whether the latest push the evidence can judge was answered; a newer push that cannot be judged (zones) stops the search. */
function answeredFacts(a: PushAnalysis, index: Index): Fact[] {
  const d = a.device;
  if (!d || !a.verdicts.length) return [];
  let judged: Verdict | undefined;
  for (let i = a.verdicts.length - 1; i >= 0; i--) {
    const v = a.verdicts[i];
    if (v.verdict === 'unknown' && v.why === 'evidence_ends') continue;
    judged = v.verdict === 'unknown' ? undefined : v;
    break;
  }
  if (!judged) return [];
  // An answered push from before the failures began says nothing about them.
  const began = latestTime(index, 'case.failures_began');
  if (judged.verdict === 'answered' && began && order(judged.push.m, began) === 'before') return [];
  const count = a.verdicts.filter((v) => v.verdict === 'answered').length;
  const from = ['server.push_sent', 'mdm.command.status', 'mdm.checkin.token_update', 'device.log.checkin'];
  const how = `whether ${d.label} reached the MDM server within ${a.windowMs / 1000} s after its latest push (${count} of ${a.verdicts.length} pushes to it answered)`;
  const out: Fact[] = [
    {
      name: 'server.push_answered',
      value: judged.verdict === 'answered',
      at: judged.push.fact.at,
      source: derived(how, from),
      attrs: { device: d.label, ...(judged.verdict === 'answered' ? { answered_at: judged.answer.fact.at!, answered_by: judged.answer.what } : {}), ...zoneAttr(judged.push) },
    },
  ];
  if (judged.verdict === 'answered') {
    const gap = judged.answer.m.ms - judged.push.m.ms;
    out.push({
      name: 'server.push_answer',
      value: `${d.label} ${judged.answer.what} at ${when(judged.answer)}, ${gap < 1000 ? 'within a second' : duration(gap)} after the push of ${when(judged.push)} (${judged.answer.where})`,
      source: derived(how, from),
      attrs: { device: d.label },
    });
  }
  return out;
}

function zoneAttr(e: DeviceEvent): Record<string, string> {
  return e.fact.attrs?.zone ? { zone: e.fact.attrs.zone } : {};
}

/** Logs whose zone-less times blocked a judgement: the report names them and asks for the zone. */
function zoneFacts(a: PushAnalysis): Fact[] {
  const blocked = new Map<string, DeviceEvent[]>();
  const add = (e: DeviceEvent) => {
    if (!e.m.zoneLess || e.m.src === undefined) return;
    const l = blocked.get(e.m.src);
    if (l) l.push(e);
    else blocked.set(e.m.src, [e]);
  };
  for (const v of a.verdicts) {
    if (v.verdict !== 'unknown' || v.why !== 'zone') continue;
    add(v.push);
    for (const b of v.blockers) add(b);
  }
  for (const e of a.zoneBlocked) add(e);
  return [...blocked.values()].map((evs) => {
    const first = evs.reduce((x, y) => (y.m.ms < x.m.ms ? y : x));
    const last = evs.reduce((x, y) => (y.m.ms > x.m.ms ? y : x));
    const src = first.fact.source;
    const input = src.kind === 'file' ? `${src.input}${src.member ? ` › ${src.member}` : ''}` : describeSource({ ...src, line: undefined } as Fact['source']);
    const span = first === last ? first.fact.at!.replace('T', ' ').replace(/\.000Z$/, '') : `${first.fact.at!.replace('T', ' ').replace(/\.000Z$/, '')} to ${last.fact.at!.replace('T', ' ').replace(/\.000Z$/, '')}`;
    return {
      name: 'case.zone_less_times',
      value: `${input} (${span}, no zone written)`,
      source: derived('times written without a zone that had to be compared with times from another input', ['server.push_sent', 'mdm.command.status', 'device.log.checkin']),
    };
  });
}

/** Pushes the device did not answer, each with APNs's answer: what Apple asks for. */
function failedPushFacts(a: PushAnalysis, index: Index): Fact[] {
  const d = a.device;
  const untimed = untimedStatus(index);
  const out: Fact[] = [];
  const failed: Fact[] = [];
  if (d) {
    for (const v of a.verdicts) {
      if (v.verdict !== 'unanswered') continue;
      const logged = apnsAnswer(v.push);
      const answer = logged ?? (untimed ? { value: String(untimed.value), status: String(untimed.value) } : undefined);
      if (!answer) continue;
      const attrs: Record<string, string> = { domain: 'mdm', device: d.label, response: answer.value, push: v.push.where };
      const pa = v.push.fact.attrs ?? {};
      if (pa.apns_id) attrs.apns_id = pa.apns_id;
      if (pa.udid ?? pa.device) attrs.udid = (pa.udid ?? pa.device)!;
      if (answer.status) attrs.status = answer.status;
      if (answer.reason) attrs.reason = answer.reason;
      if (!logged && untimed) attrs.response_from = describeSource(untimed.source);
      Object.assign(attrs, zoneAttr(v.push));
      failed.push({
        name: 'case.failed_push',
        value: answer.value,
        at: v.push.fact.at,
        source: derived(`a push to ${d.label} (${v.push.where}) that got no answer within ${a.windowMs / 1000} s, with APNs's answer ${answer.value}`, ['server.push_sent', 'mdm.apns_response', 'server.push_status']),
        attrs,
      });
    }
  }
  if (!failed.length && a.untimedFailure && untimed) {
    out.push({
      name: 'case.failed_push',
      value: String(untimed.value),
      source: derived(`APNs's answer to a push that failed, stated without its time (${describeSource(untimed.source)})`, ['server.push_status']),
      attrs: { domain: 'mdm', response: String(untimed.value), status: String(untimed.value), response_from: describeSource(untimed.source), ...(d ? { device: d.label } : {}) },
    });
  }
  const kept = failed.length > KEEP_EARLIEST + KEEP_LATEST ? [...failed.slice(0, KEEP_EARLIEST), ...failed.slice(-KEEP_LATEST)] : failed;
  out.push(...kept);
  for (const f of kept) out.push({ name: 'case.failed_push_at', value: f.at!, at: f.at, source: f.source, attrs: { device: f.attrs!.device, ...zoneAttrOf(f) } });
  if (failed.length) out.push({ name: 'case.failed_push_count', value: failed.length, source: derived(`pushes to ${d!.label} that got no answer, with APNs's answer on record`, ['server.push_sent']), attrs: { device: d!.label } });
  return out;
}

function zoneAttrOf(f: Fact): Record<string, string> {
  return f.attrs?.zone ? { zone: f.attrs.zone } : {};
}

/**
 * A contact only an enrolled device makes: not Authenticate (enrolling), not CheckOut (leaving), not an
 * exchange the server refused (mdmd's "Transaction completed. Status: 401").
 */
function provesEnrollment(f: Fact): boolean {
  if (f.name === 'mdm.checkin.checkout' || f.name === 'mdm.checkin.authenticate') return false;
  if (f.name === 'device.log.checkin' && f.attrs?.http_status && !/^2\d\d$/.test(f.attrs.http_status)) return false;
  return true;
}

/**
 * When the device last reached the MDM server, counting only contacts not
 * before the failure (an earlier poll or answered push says nothing about a
 * later failure). With no failure on record, every contact counts; with a
 * failure whose time is unknown, none can be placed after it.
 */
function reachedFacts(a: PushAnalysis): Fact[] {
  const d = a.device;
  if (!d || a.failureUntimed) return [];
  const after = (c: DeviceEvent) => !a.failure || order(a.failure.m, c.m) === 'before';
  const out: Fact[] = [];
  const reached = [...d.contacts].reverse().find(after);
  const since = a.failure ? ` after ${a.failure.what}` : '';
  // With no failure on record, a contact without a time still shows the device reaching the server.
  const undated = !a.failure && !reached ? d.untimed[0] : undefined;
  if (undated)
    out.push({
      name: 'device.reached_mdm_server',
      value: 'time not in the evidence',
      source: derived(`${d.label} reached the MDM server (${undated.name} = ${String(undated.value)}, ${describeSource(undated.source)}); the evidence does not say when`, [undated.name]),
      attrs: { device: d.label },
    });
  if (reached)
    out.push({
      name: 'device.reached_mdm_server',
      // No `at`: the contact itself is already on the timeline.
      value: reached.fact.at!,
      source: derived(`${d.label} ${reached.what} at ${when(reached)}${since} (${reached.where})`, [reached.fact.name]),
      attrs: { device: d.label, ...zoneAttr(reached) },
    });
  // Reaching the server with its identity means it held an enrollment then; a CheckOut ends it.
  const lastCheckout = [...d.contacts].reverse().find((c) => c.fact.name === 'mdm.checkin.checkout');
  const enrolled = [...d.contacts].reverse().find((c) => provesEnrollment(c.fact) && after(c) && (!lastCheckout || order(lastCheckout.m, c.m) === 'before'));
  const undatedEnrolled = !a.failure && !enrolled && !lastCheckout && !d.untimed.some((f) => f.name === 'mdm.checkin.checkout') ? d.untimed.find(provesEnrollment) : undefined;
  if (undatedEnrolled)
    out.push({
      name: 'device.mdm_enrolled',
      value: true,
      source: derived(`${d.label} reached the MDM server with its enrollment (${undatedEnrolled.name} = ${String(undatedEnrolled.value)}, ${describeSource(undatedEnrolled.source)})`, [undatedEnrolled.name]),
      attrs: { device: d.label },
    });
  if (enrolled)
    out.push({
      name: 'device.mdm_enrolled',
      value: true,
      source: derived(`${d.label} ${enrolled.what} at ${when(enrolled)}${since}, so it held an MDM enrollment then (${enrolled.where})`, [enrolled.fact.name]),
      attrs: { device: d.label },
    });
  return out;
}

/**
 * The enrollment race (seed 000): the first push after the enrollment's
 * TokenUpdate, whether it left within the race window (provably, given the
 * stamps' resolution), whether the server pushed again, and whether the
 * device ever came.
 */
function raceFacts(a: PushAnalysis, params: DeriveParams): Fact[] {
  const d = a.device;
  if (!d) return [];
  const auth = [...d.contacts].reverse().find((c) => c.fact.name === 'mdm.checkin.authenticate');
  const update = d.contacts.find((c) => c.fact.name === 'mdm.checkin.token_update' && (!auth || order(auth.m, c.m) === 'before'));
  if (!update) return [];
  const idx = a.verdicts.findIndex((v) => order(update.m, v.push.m) === 'before');
  if (idx < 0) return [];
  const first = a.verdicts[idx].push;
  const from = ['mdm.checkin.token_update', 'server.push_sent'];
  const out: Fact[] = [];
  const gapLeast = first.m.ms - (update.m.ms + update.m.res - 1);
  const gapMost = first.m.ms + first.m.res - 1 - update.m.ms;
  const sameClock = update.m.src === first.m.src || (!update.m.zoneLess && !first.m.zoneLess);
  if (sameClock) {
    out.push({
      name: 'server.first_push_delay_seconds',
      value: Math.round(first.m.ms - update.m.ms) / 1000,
      at: first.fact.at,
      source: derived(`time from ${d.label}'s TokenUpdate (${when(update)}) to the first push after it (${when(first)}); stamps of ${update.m.res === 1000 || first.m.res === 1000 ? 'whole seconds' : 'milliseconds'}`, from),
    });
    if (params.enrollmentRaceSeconds) {
      const windowMs = params.enrollmentRaceSeconds * 1000;
      const within = gapMost <= windowMs ? true : gapLeast > windowMs ? false : undefined;
      if (within !== undefined)
        out.push({
          name: 'server.first_push_within_race_window',
          value: within,
          at: first.fact.at,
          source: derived(`the first push left ${gapLeast <= 0 ? 'at most' : 'between ' + gapLeast / 1000 + ' s and'} ${Math.max(gapMost, 0) / 1000} s after the TokenUpdate; the race window is under ${params.enrollmentRaceSeconds} s`, from),
        });
    }
  }
  const ends = a.verdicts[idx];
  const coveredAfter = ends.verdict !== 'unknown' || ends.why !== 'evidence_ends';
  const later = a.verdicts.slice(idx + 1).some((v) => order(first.m, v.push.m) === 'before');
  if (later || coveredAfter)
    out.push({
      name: 'server.push_retried_after_enrollment',
      value: later,
      source: derived(`whether the server pushed to ${d.label} again after the first push following its TokenUpdate`, ['server.push_sent']),
    });
  const came = d.contacts.some((c) => order(first.m, c.m) === 'before');
  if (came || coveredAfter)
    out.push({
      name: 'server.device_came_after_push',
      value: came,
      source: derived(`whether ${d.label} reached the MDM server at any time after the first push following its TokenUpdate (${when(first)})`, ['server.push_sent', 'mdm.command.status']),
    });
  return out;
}

/**
 * "Was the failing push sent right after enrollment?" needs no asking when
 * the MDM profile was installed well before the failure.
 */
function soonAfterEnrollmentFacts(a: PushAnalysis, index: Index): Fact[] {
  if (!a.failure) return [];
  const installed = latestTime(index, 'device.mdm_profile_installed_at');
  if (!installed) return [];
  // Well before: more than the answer window, which dwarfs the race (under a second).
  if (order(shift(installed, a.windowMs), a.failure.m) !== 'before') return [];
  return [
    {
      name: 'case.push_soon_after_enrollment',
      value: false,
      source: derived(`the MDM profile was installed at ${isoOf(installed)}, ${duration(a.failure.m.ms - installed.ms)} before ${a.failure.what}`, ['device.mdm_profile_installed_at', 'server.push_sent', 'case.failures_began']),
    },
  ];
}

/**
 * Every device's answers to commands, named with the time, for the note
 * "the device answered MDM commands" (a log may hold many devices).
 */
function commandAnswerFacts(a: PushAnalysis, index: Index): Fact[] {
  const per = new Map<string, { label: string; n: number; latest?: Fact; statuses: Set<string> }>();
  const label = new Map<string, string>();
  for (const d of a.cases.devices) for (const id of d.ids) label.set(id, d.label);
  for (const f of index.get('mdm.command.status') ?? []) {
    const s = String(f.value);
    if (!['Acknowledged', 'Error', 'CommandFormatError', 'Idle'].includes(s)) continue;
    const id = (f.attrs?.udid ?? f.attrs?.device ?? f.attrs?.enrollment_id)?.toUpperCase();
    // The device's own log names no device: it is the one the case is about, when that is known.
    const own = !id && isOwn(f) && a.device ? `${a.device.label} (its own log)` : undefined;
    const name = (id && label.get(id)) ?? own ?? f.attrs?.udid ?? f.attrs?.device ?? 'a device the evidence does not name';
    let e = per.get(name);
    if (!e) per.set(name, (e = { label: name, n: 0, statuses: new Set() }));
    e.n++;
    e.statuses.add(s);
    if (f.at && (!e.latest?.at || f.at > e.latest.at)) e.latest = f;
  }
  return [...per.values()]
    .sort((x, y) => (x.label < y.label ? -1 : 1))
    .map((e) => ({
      name: 'mdm.command_answers',
      value: `${e.label}: ${[...e.statuses].sort().join(', ')}${e.latest ? `, latest at ${e.latest.at}${e.latest.attrs?.zone === 'unknown' ? ' (zone unknown)' : ''}` : ' (no time in the evidence)'}`,
      ...(e.latest?.at ? { at: e.latest.at } : {}),
      source: derived(`${e.n} command answer(s) from ${e.label}`, ['mdm.command.status']),
      attrs: { device: e.label },
    }));
}

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
