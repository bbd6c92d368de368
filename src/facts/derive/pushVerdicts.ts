import type { Fact } from '../schema.js';
import { expandFacts, msOf, sourceAt } from '../fold.js';
import { comparable, isZoneLess, momentOf, order, sourceKey, type Moment } from '../time.js';
import type { Device } from './caseDevices.js';
import type { DeviceEvent } from './deviceEvents.js';

/**
 * Whether each push to a device was answered: the same device reached the
 * MDM server after it (provably after: a contact logged before the push line
 * in the same second is not an answer) and within the answer window.
 * Linear in the number of events: contacts are searched by time, never
 * compared with every push.
 */

export type Verdict =
  | { push: DeviceEvent; verdict: 'answered'; answer: DeviceEvent }
  /**
   * refused: APNs refused the push itself (410, 400…), so it never reached the device whatever it did next;
   * blockers: the device's contacts on another clock that a zone-less time keeps from being placed before or after it.
   */
  | { push: DeviceEvent; verdict: 'unanswered'; refused?: true; blockers?: DeviceEvent[] }
  /** zone: a contact in another log with a zone-less clock could be the answer; same_second: one in another log in the same second; evidence_ends: no evidence covers the window. */
  | { push: DeviceEvent; verdict: 'unknown'; why: 'zone' | 'same_second' | 'evidence_ends'; blockers: DeviceEvent[] };

/** Zone-less times may be off by up to 14 h either way (UTC−12…UTC+14). */
const ZONE_SLACK_MS = 14 * 3600_000;

/** First index in `list` (sorted by m.ms) whose time is >= ms. */
function lowerBound(list: readonly DeviceEvent[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].m.ms < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The time a server wrote a "not since" line, in that line's own zone. */
function reportedAt(f: Fact): Fact {
  const { reported_at, reported_zone, zone: _zone, ...rest } = f.attrs!;
  return { ...f, at: reported_at, attrs: reported_zone ? { ...rest, zone: reported_zone } : rest };
}

/** The latest time each log reaches, so that "no answer" is said only where the evidence goes on long enough. */
export function evidenceEnds(index: ReadonlyMap<string, readonly Fact[]>): { bySource: Map<string, number>; zoned: number } {
  const bySource = new Map<string, number>();
  let zoned = -Infinity;
  const reach = (src: string | undefined, ms: number, zoneLess: boolean) => {
    if (src !== undefined) bySource.set(src, Math.max(bySource.get(src) ?? -Infinity, ms));
    if (!zoneLess) zoned = Math.max(zoned, ms);
  };
  const observe = (f: Fact) => {
    const m = momentOf(f);
    if (!m) return;
    reach(m.src, m.ms, m.zoneLess);
    // "Has not checked in since X", written at T: the evidence reaches T.
    const said = f.attrs?.reported_at ? momentOf(reportedAt(f)) : undefined;
    if (said) reach(said.src, said.ms, said.zoneLess);
  };
  for (const facts of index.values())
    for (const f of facts) {
      if (!f.fold) observe(f);
      else if (f.attrs?.reported_at) for (const o of expandFacts([f])) observe(o);
      else {
        // A folded fact (a busy log's statuses): every observation's time, read from its columns.
        const zoneLess = isZoneLess(f);
        const src = f.fold.each.member ? undefined : sourceKey(f.source);
        for (let i = 0; i < f.fold.count; i++) {
          const ms = msOf(f, i);
          if (!Number.isNaN(ms)) reach(src ?? sourceKey(sourceAt(f, i)), ms, zoneLess);
        }
      }
    }
  return { bySource, zoned };
}

function channelsAgree(a: DeviceEvent, b: DeviceEvent): boolean {
  return !a.channel || !b.channel || a.channel === b.channel;
}

/** Covered: some evidence on a clock comparable with the push's reaches `until`. */
function covered(m: Moment, until: number, ends: ReturnType<typeof evidenceEnds>): boolean {
  if (m.src !== undefined && (ends.bySource.get(m.src) ?? -Infinity) >= until) return true;
  return !m.zoneLess && ends.zoned >= until;
}

/**
 * A push APNs refused (410 Unregistered, 400 BadDeviceToken, 429, 5xx…), or one the server logged as failed, never went on to the device: it failed,
 * whatever the device did next. A contact in its answer window is the device's own poll, not its answer.
 */
function refusedByApns(p: DeviceEvent): boolean {
  const status = p.attr('status');
  if (status && /^\d{3}$/.test(status)) return !/^2\d\d$/.test(status);
  // A push line that logged an error and no status ("err=\"Unregistered\"", "no push info", count=0): the server
  // has no push it knows went out, so a poll after it is not its answer.
  if (status === 'failed') return true;
  return p.name === 'mdm.apns_response' && !!p.attr('reason');
}

export function judgePushes(device: Device, windowMs: number, ends: ReturnType<typeof evidenceEnds>): Verdict[] {
  const contacts = device.contacts;
  // Contacts per log, for the zone check: one binary search per log and push.
  const bySource = new Map<string, DeviceEvent[]>();
  for (const c of contacts) {
    const k = c.m.src ?? '';
    const l = bySource.get(k);
    if (l) l.push(c);
    else bySource.set(k, [c]);
  }
  // A contact on another clock could be the answer (or come after the push) if the zones were known.
  const zoneBlockersOf = (p: DeviceEvent): DeviceEvent[] => {
    const blockers: DeviceEvent[] = [];
    for (const [src, list] of bySource) {
      if (src === (p.m.src ?? '')) continue;
      const first = list[0];
      if (!first || comparable(p.m, first.m)) continue;
      const i = lowerBound(list, p.m.ms - ZONE_SLACK_MS - 1000);
      const c = list[i];
      if (c && c.m.ms <= p.m.ms + windowMs + ZONE_SLACK_MS + 1000 && channelsAgree(p, c)) blockers.push(c);
    }
    return blockers;
  };
  const out: Verdict[] = [];
  for (const p of device.pushes) {
    if (refusedByApns(p)) {
      const blockers = zoneBlockersOf(p);
      out.push({ push: p, verdict: 'unanswered', refused: true, ...(blockers.length ? { blockers } : {}) });
      continue;
    }
    let answer: DeviceEvent | undefined;
    const sameSecond: DeviceEvent[] = [];
    for (let i = lowerBound(contacts, p.m.ms - 1000); i < contacts.length && contacts[i].m.ms <= p.m.ms + windowMs; i++) {
      const c = contacts[i];
      if (!channelsAgree(p, c) || !comparable(p.m, c.m)) continue;
      const o = order(p.m, c.m);
      if (o === 'before') {
        if (c.m.ms - p.m.ms <= windowMs) {
          answer = c;
          break;
        }
      } else if (o === 'unknown') sameSecond.push(c);
    }
    if (answer) {
      out.push({ push: p, verdict: 'answered', answer });
      continue;
    }
    const zoneBlockers = zoneBlockersOf(p);
    if (zoneBlockers.length) out.push({ push: p, verdict: 'unknown', why: 'zone', blockers: zoneBlockers });
    else if (sameSecond.length) out.push({ push: p, verdict: 'unknown', why: 'same_second', blockers: sameSecond });
    else if (covered(p.m, p.m.ms + windowMs, ends)) out.push({ push: p, verdict: 'unanswered' });
    else out.push({ push: p, verdict: 'unknown', why: 'evidence_ends', blockers: [] });
  }
  return out;
}
