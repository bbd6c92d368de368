import { expandFacts } from '../fold.js';
import type { Fact } from '../schema.js';
import { canonicalZone, isZoneLess, iso, wallClockToUtc } from '../time.js';

/**
 * Once someone says which zone the server log is in (q.case.log_time_zone),
 * its zone-less times become real UTC times, marked with the offset that
 * applied and where it came from. Device-side times keep their own clock:
 * the answer is about the server's log.
 */
export function applyLogTimeZone(facts: readonly Fact[]): Fact[] {
  let answer: string | undefined;
  for (const f of facts) if (f.name === 'case.log_time_zone' && f.source.kind === 'answer') answer = String(f.value);
  const zone = answer ? canonicalZone(answer) : null;
  if (!zone) return facts as Fact[];
  const out: Fact[] = [];
  for (const folded of facts) {
    // A folded fact's observations share their zone; each moves by its own time.
    const obs =
      folded.fold && isZoneLess(folded) && !folded.name.startsWith('device.') && folded.attrs?.origin !== 'device log' ? expandFacts([folded]) : [folded];
    for (const f of obs) out.push(rezoned(f, zone));
  }
  return out;
}

function rezoned(f: Fact, zone: string): Fact {
  if (!f.at || !isZoneLess(f) || f.name.startsWith('device.') || f.attrs?.origin === 'device log') return f;
  const wall = Date.parse(f.at);
  if (Number.isNaN(wall)) return f;
  const { ms, offset } = wallClockToUtc(wall, zone);
  const at = iso(ms);
  const { zone: _unknown, ...attrs } = f.attrs ?? {};
  // A "not checked in since" line carries the time the server wrote it, on the same clock.
  if (attrs.reported_at && attrs.reported_zone === 'unknown') {
    const r = wallClockToUtc(Date.parse(attrs.reported_at), zone);
    attrs.reported_at = iso(r.ms);
    if (r.offset === '+00:00') delete attrs.reported_zone;
    else attrs.reported_zone = r.offset;
  }
  return {
    ...f,
    at,
    // An event fact whose value is its own time moves with it.
    ...(f.value === f.at ? { value: at } : {}),
    // UTC times carry no zone attr (the shared convention); zone_from says the zone was answered.
    attrs: { ...attrs, ...(offset === '+00:00' ? {} : { zone: offset }), zone_from: 'answer to q.case.log_time_zone' },
  };
}
