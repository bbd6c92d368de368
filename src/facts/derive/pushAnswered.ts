import { describeSource } from '../order.js';
import { isMaskedId } from '../maskedId.js';
import { occurrences, sourceAt } from '../fold.js';
import type { Fact } from '../schema.js';
import { duration, order } from '../time.js';
import { isOwn, type DeviceEvent } from './deviceEvents.js';
import { derived, latestTime, when, zoneAttr, type Index, type PushAnalysis } from './pushAnalysis.js';
import type { Verdict } from './pushVerdicts.js';

/** Which device the case is about, whether its latest push was answered, and the zone-less logs that kept a judgement open. */

/** The device the case is about, for the report and the draft. */
export function subjectFacts(a: PushAnalysis): Fact[] {
  const out: Fact[] = [];
  const d = a.device;
  if (d?.ids.length) {
    const attrs: Record<string, string> = {};
    for (const e of [...d.pushes, ...d.contacts])
      for (const k of ['udid', 'enrollment_id', 'serial', 'device_id'] as const) {
        const v = e.attr(k) ?? (k === 'udid' ? e.attr('device') : undefined);
        // A line that named the device only by the server's id carries that id as its udid too: no UDID.
        if (k === 'udid' && v && v === e.attr('device_id')) continue;
        if (v && !attrs[k] && !isMaskedId(v)) attrs[k] = v;
      }
    // The masked ids taken for the device's own (caseDevices): its facts name it by them.
    for (const [i, m] of (d.masked ?? []).entries()) attrs[i ? `udid_masked_${i + 1}` : 'udid_masked'] = m;
    out.push({
      name: 'case.device',
      value: d.label,
      source: derived(`the device the case is about: ${a.cases.chosen}`, ['server.push_sent', 'mdm.command.status', 'device.udid', 'case.device_id']),
      attrs,
    });
  }
  const u = a.cases.unmatched;
  if (u) {
    const list = (names: string[]) => (names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', '));
    out.push({
      name: 'case.device_not_found',
      value: u.several.length ? `${u.answer} (the id of ${list(u.several)})` : `${u.answer} (the evidence names ${list(u.devices)})`,
      source: derived(
        u.several.length
          ? `the answer to q.case.device (${u.answer}) is the id of several devices in the evidence (${list(u.several)})`
          : `the answer to q.case.device (${u.answer}) matches no device the evidence names (${list(u.devices)})`,
        ['case.device_id', 'server.push_sent', 'mdm.command.status'],
      ),
      attrs: { devices: list(u.several.length ? u.several : u.devices) },
    });
  }
  const t = a.cases.notToken;
  if (t) {
    const list = t.tokens.length > 6 ? `${t.tokens.slice(0, 6).join(', ')} and ${t.tokens.length - 6} more` : t.tokens.join(', ');
    out.push({
      name: 'case.device_not_a_token',
      value: `${t.answer} (the provider's log names ${list})`,
      source: derived(`the answer to q.case.device (${t.answer}) is no push token, and the provider's log names its devices by token only`, [
        'case.device_id',
        'apns.response',
      ]),
      attrs: { tokens: String(t.tokens.length) },
    });
  }
  if (!d && a.cases.candidates.length > 1) {
    const names = a.cases.candidates.map((c) => c.label);
    out.push({
      name: 'case.device_unresolved',
      value: names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', '),
      source: derived(`the evidence holds ${names.length} devices and does not say which one the case is about`, [
        'server.push_sent',
        'mdm.command.status',
        'device.udid',
      ]),
    });
  }
  return out;
}

/** Whether the latest push the evidence can judge was answered; a newer push that cannot be judged (zones) stops the search. */
export function answeredFacts(a: PushAnalysis, index: Index): Fact[] {
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
      attrs: {
        device: d.label,
        ...(judged.verdict === 'answered' ? { answered_at: judged.answer.fact.at!, answered_by: judged.answer.what } : {}),
        ...zoneAttr(judged.push),
      },
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

/** Logs whose zone-less times blocked a judgement: the report names them and asks for the zone. */
export function zoneFacts(a: PushAnalysis): Fact[] {
  const blocked = new Map<string, DeviceEvent[]>();
  const add = (e: DeviceEvent) => {
    if (!e.m.zoneLess || e.m.src === undefined) return;
    const l = blocked.get(e.m.src);
    if (l) l.push(e);
    else blocked.set(e.m.src, [e]);
  };
  for (const v of a.verdicts) {
    // A push APNs refused is the failure either way; the zone decides whether the device's contacts came after it.
    const blockers = v.verdict === 'unknown' ? (v.why === 'zone' ? v.blockers : undefined) : v.verdict === 'unanswered' ? v.blockers : undefined;
    if (!blockers) continue;
    add(v.push);
    for (const b of blockers) add(b);
  }
  for (const e of a.zoneBlocked) add(e);
  return [...blocked.values()].map((evs) => {
    const first = evs.reduce((x, y) => (y.m.ms < x.m.ms ? y : x));
    const last = evs.reduce((x, y) => (y.m.ms > x.m.ms ? y : x));
    const src = first.fact.source;
    const input = src.kind === 'file' ? `${src.input}${src.member ? ` › ${src.member}` : ''}` : describeSource({ ...src, line: undefined } as Fact['source']);
    // The wall clock as written: a zone-less time never gets the Z of the ISO form it is kept in.
    const wall = (e: DeviceEvent) => e.fact.at!.replace('T', ' ').replace(/(\.000)?Z$/, '');
    const span = first === last ? wall(first) : `${wall(first)} to ${wall(last)}`;
    return {
      name: 'case.zone_less_times',
      value: `${input} (${span}, no zone written)`,
      source: derived('times written without a zone that had to be compared with times from another input', [
        'server.push_sent',
        'mdm.command.status',
        'device.log.checkin',
      ]),
    };
  });
}

/**
 * The name to give the device a fact is about, or undefined when the case is
 * known to be about another device: once the case's device is known, only
 * its facts count (never mix devices).
 */
function caseDeviceNamer(a: PushAnalysis): (f: Fact) => string | undefined {
  const label = new Map<string, string>();
  for (const d of a.cases.devices) for (const id of d.ids) label.set(id, d.label);
  const subject = a.device;
  return (f) => {
    const id = (f.attrs?.udid ?? f.attrs?.device ?? f.attrs?.enrollment_id ?? f.attrs?.serial)?.toUpperCase();
    // The device's own log names no device: it is the one the case is about, when that is known.
    const own = !id && isOwn(f) && subject ? `${subject.label} (its own log)` : undefined;
    const known = id ? label.get(id) : undefined;
    if (subject && !own) {
      // A subject with no ids is "all the evidence is about one device": only another known device's fact is not its.
      const other = id ? (known ? known !== subject.label : subject.ids.length > 0 && !subject.ids.includes(id)) : subject.ids.length > 0;
      if (other) return undefined;
    }
    return known ?? own ?? f.attrs?.udid ?? f.attrs?.device ?? f.attrs?.serial ?? 'a device the evidence does not name';
  };
}

/**
 * Answers to commands, named by device with the time, for the note "the
 * device answered MDM commands" (a log may hold many devices). Once the case
 * is known to be about one device, only its answers count: another device
 * answering says nothing about this one's push path.
 */
export function commandAnswerFacts(a: PushAnalysis, index: Index): Fact[] {
  const per = new Map<string, { label: string; n: number; latest?: Fact; where: Set<string>; statuses: Set<string> }>();
  const nameOf = caseDeviceNamer(a);
  for (const f of index.get('mdm.command.status') ?? []) {
    const s = String(f.value);
    if (!['Acknowledged', 'Error', 'CommandFormatError', 'Idle'].includes(s)) continue;
    const name = nameOf(f);
    if (name === undefined) continue;
    let e = per.get(name);
    if (!e) per.set(name, (e = { label: name, n: 0, where: new Set(), statuses: new Set() }));
    // Statuses come folded (derive/index.ts): a fact counts for each of its observations, its latest time is the fold's.
    e.n += occurrences(f);
    if (f.fold?.each.member) for (let i = 0; i < f.fold.count; i++) e.where.add(describeSource({ ...sourceAt(f, i), line: undefined } as Fact['source']));
    else e.where.add(describeSource({ ...f.source, line: undefined } as Fact['source']));
    e.statuses.add(s);
    const at = f.fold?.lastAt ?? f.at;
    if (at && (!e.latest?.at || at > e.latest.at)) e.latest = at === f.at ? f : { ...f, at };
  }
  return [...per.values()]
    .sort((x, y) => (x.label < y.label ? -1 : 1))
    .map((e) => ({
      name: 'mdm.command_answers',
      value: `${e.label}: ${[...e.statuses].sort().join(', ')}${e.latest ? `, latest at ${e.latest.at}${e.latest.attrs?.zone === 'unknown' ? ' (zone unknown)' : ''}` : ' (no time in the evidence)'}`,
      ...(e.latest?.at ? { at: e.latest.at } : {}),
      // Where they were read, so the note's evidence still points at the files.
      source: derived(`${e.n} command answer(s) from ${e.label} in ${[...e.where].sort().join(', ')}`, ['mdm.command.status']),
      attrs: { device: e.label },
    }));
}

/**
 * When the MDM server says the case's device last checked in (Jamf Pro's
 * "has not checked in since"), latest per device. A contact, never an APNs
 * answer: it tells that the device has not been reaching the server since.
 */
/** Later check-in, then later report, then source: never the order the inputs came in. */
function later(f: Fact, g: Fact): boolean {
  if (f.at !== g.at) return f.at! > g.at!;
  const [a, b] = [f.attrs?.reported_at ?? '', g.attrs?.reported_at ?? ''];
  if (a !== b) return a > b;
  return describeSource(f.source) < describeSource(g.source);
}

export function lastCheckinFacts(a: PushAnalysis, index: Index): Fact[] {
  const nameOf = caseDeviceNamer(a);
  const latest = new Map<string, Fact>();
  for (const f of index.get('server.device_last_checkin') ?? []) {
    const name = nameOf(f);
    if (name === undefined || !f.at) continue;
    const seen = latest.get(name);
    if (!seen || later(f, seen)) latest.set(name, f);
  }
  const unknown = (zone: string | undefined) => (zone === 'unknown' ? ' (zone unknown)' : '');
  return [...latest.entries()]
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([label, f]) => {
      const said = f.attrs?.reported_at ? `, as the server logged at ${f.attrs.reported_at}${unknown(f.attrs.reported_zone ?? 'unknown')}` : '';
      return {
        name: 'mdm.server_last_checkin',
        value: `${label}: last checked in at ${f.at}${unknown(f.attrs?.zone)}${said}`,
        at: f.at!,
        source: derived(`the MDM server's record of ${label}'s last check-in (${describeSource(f.source)})`, ['server.device_last_checkin']),
        attrs: { device: label, ...(f.attrs?.zone ? { zone: f.attrs.zone } : {}) },
      };
    });
}
