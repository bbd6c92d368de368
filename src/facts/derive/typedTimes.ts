import type { Fact } from '../schema.js';
import { iso } from '../time.js';

/**
 * "APNs returned 200 at 09:05": a time typed with no date. When every other
 * timed observation was written on one day, it is that day's 09:05, and from
 * then on a zone-less time like any other (zone "unknown" unless one was
 * typed): never compared with zoned evidence until someone says the zone,
 * which the report asks once the comparison matters. Evidence from several
 * days leaves it undated: nothing is guessed.
 */
export function placeTypedTimes(facts: readonly Fact[]): readonly Fact[] {
  if (!facts.some(typed)) return facts;
  const date = evidenceDate(facts);
  if (!date) return facts;
  return facts.map((f) => (typed(f) ? placed(f, date) : f));
}

function typed(f: Fact): boolean {
  return !f.at && f.source.kind === 'pasted' && /^\d{2}:\d{2}:\d{2}$/.test(f.attrs?.time ?? '');
}

function offsetMinutes(zone: string | undefined): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(zone ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The one calendar date the timed observations were written on, each on its own clock. */
function evidenceDate(facts: readonly Fact[]): string | undefined {
  let date: string | undefined;
  for (const f of facts) {
    if (!f.at || f.source.kind === 'derived' || f.source.kind === 'answer') continue;
    // A folded fact's observations lie between its first and last time, all on one clock: those two tell its days.
    for (const t of f.fold ? [f.fold.firstAt ?? f.at, f.fold.lastAt ?? f.at] : [f.at]) {
      const ms = Date.parse(t);
      if (Number.isNaN(ms)) continue;
      const d = iso(ms + offsetMinutes(f.attrs?.zone) * 60_000).slice(0, 10);
      if (date && d !== date) return undefined;
      date = d;
    }
  }
  return date;
}

function placed(f: Fact, date: string): Fact {
  const wall = Date.parse(`${date}T${f.attrs!.time}Z`);
  if (Number.isNaN(wall)) return f;
  const zone = f.attrs?.zone;
  // A typed offset places it exactly; "unknown" keeps the wall clock as if UTC, like a zone-less log line.
  const at = zone === 'unknown' ? iso(wall) : iso(wall - offsetMinutes(zone) * 60_000);
  return { ...f, at, attrs: { ...f.attrs, date_from: `the date of the rest of the evidence (${date})` } };
}
