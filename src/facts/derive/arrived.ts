import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { momentOf, order, shift, type Moment } from '../time.js';
import { derived, type Index, type PushAnalysis } from './pushAnalysis.js';

/**
 * An MDM push that reached the device. Seed 000: a push with the wrong topic
 * or token never arrives, and only one with everything right but the magic
 * gets as far as mdmd's "does not have the right magic string". So a push the
 * device's own log shows arriving (mdmd judging its PushMagic, or apsd
 * receiving it on an MDM topic) proves, for that time, that APNs accepted the
 * server's certificate, that the server pushed on the device's topic to its
 * current token, and that the device held an MDM enrollment.
 *
 * Only arrivals not before the failure under diagnosis count: an older one
 * says nothing about a push that failed later.
 */

interface Arrival {
  fact: Fact;
  m?: Moment;
  how: string;
}

function arrivals(index: Index): Arrival[] {
  const out: Arrival[] = [];
  for (const f of index.get('device.log.magic_rejection') ?? [])
    out.push({ fact: f, ...moment(f), how: 'mdmd rejected it for its PushMagic, so it had come through on the right topic and token' });
  for (const f of index.get('device.log.push_received') ?? []) {
    if (f.attrs?.topic?.startsWith('com.apple.mgmt.')) out.push({ fact: f, ...moment(f), how: `apsd received it on the MDM topic ${f.attrs.topic}` });
  }
  return out;
}

function moment(f: Fact): { m?: Moment } {
  const m = f.at ? momentOf(f) : undefined;
  return m ? { m } : {};
}

export function arrivedFacts(a: PushAnalysis, index: Index, enrolledKnown: boolean): Fact[] {
  if (a.failureUntimed) return [];
  // With no failure on record, an arrival speaks for now only while nothing the device did later (a
  // push, a contact) has moved the story on: a week-old arrival before this morning's poll is history.
  const later = [...(a.device?.pushes ?? []), ...(a.device?.contacts ?? [])];
  const current = (x: Arrival) => !x.m || !later.some((e) => order(shift(x.m!, a.windowMs), e.m) === 'before');
  const counted = arrivals(index).filter((x) => (a.failure ? !!x.m && order(a.failure.m, x.m) === 'before' : current(x)));
  if (!counted.length) return [];
  // The latest timed arrival speaks best for now; with none timed, any arrival still shows the path.
  const timed = counted.filter((x) => x.m).sort((p, q) => p.m!.ms - q.m!.ms || (p.fact.name < q.fact.name ? -1 : 1));
  const pick = timed.at(-1) ?? counted[0]!;
  const since = a.failure ? `, after ${a.failure.what}` : '';
  const at = pick.fact.at ? `at ${pick.fact.at}${pick.m?.zoneLess ? ' (zone unknown)' : ''}` : '(its log line carries no date)';
  const how = `an MDM push reached the device ${at}${since}: ${pick.how} (${describeSource(pick.fact.source)})`;
  const from = [...new Set(counted.map((x) => x.fact.name))].sort();
  return [
    {
      name: 'device.mdm_push_arrived',
      value: pick.fact.at ?? 'time not in the evidence',
      source: derived(how, from),
      ...(pick.fact.attrs?.zone ? { attrs: { zone: pick.fact.attrs.zone } } : {}),
    },
    // Said once: another derivation (or a file) may already show the enrollment.
    ...(enrolledKnown
      ? []
      : [
          {
            name: 'device.mdm_enrolled',
            value: true,
            source: derived(`${how}; only an enrolled device's mdmd and apsd take pushes on its MDM topic`, from),
          },
        ]),
  ];
}
