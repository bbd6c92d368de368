/**
 * Times as people read them. A fact's `at` is UTC; `attrs.zone` says how
 * the source wrote it: absent for UTC, an offset such as "-08:00" (shown
 * next to the UTC time, as the log had it), or "unknown" for a log that
 * wrote no zone at all (then `at` is the wall clock read as if UTC, so the
 * time is shown as written and never labelled UTC).
 */

export const ZONE_UNKNOWN = 'unknown';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Whether a value is an ISO-8601 time with a zone (the only kind Date.parse may read). */
export function isIsoTime(v: unknown): v is string {
  return typeof v === 'string' && ISO.test(v) && Number.isFinite(Date.parse(v));
}

const pad = (n: number) => String(n).padStart(2, '0');

// Seconds always: a push at 10:00:00 and an answer at 10:00:59 must not both read "10:00", and a time should look
// the same in every line of a report whether or not its seconds happen to be zero.
const clock = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

function parts(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  return { date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, time: clock(d) };
}

/** "-08:00" → minutes east of UTC (-480); undefined for anything else. */
function offsetMinutes(zone: string | undefined): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone ?? '');
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function normalZone(zone: string | undefined): string | undefined {
  if (!zone || zone === 'Z' || zone === 'UTC') return undefined;
  if (zone === ZONE_UNKNOWN) return ZONE_UNKNOWN;
  const off = offsetMinutes(zone);
  if (off === undefined) return undefined;
  if (off === 0) return undefined;
  return `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/**
 * "2025-11-21 17:01:14 UTC", "2025-11-21 17:01:00 UTC (09:01:00 at -08:00)",
 * "2025-11-21 09:01:00 (zone unknown)". Always with seconds.
 */
export function formatTime(iso: string, zone?: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const z = normalZone(zone);
  const u = parts(ms);
  if (z === ZONE_UNKNOWN) return `${u.date} ${u.time} (zone unknown)`;
  if (!z) return `${u.date} ${u.time} UTC`;
  const local = parts(ms + offsetMinutes(z)! * 60_000);
  return `${u.date} ${u.time} UTC (${local.date === u.date ? '' : `${local.date} `}${local.time} at ${z})`;
}

/**
 * A span of times of one source, e.g. "2025-11-21 09:01:00–09:14:30 UTC" or
 * "2025-11-21 09:01:00 UTC – 2025-11-22 10:02:00 UTC". The zone is the sources';
 * times are given in order or not, the span is first to last.
 */
export function formatSpan(isos: readonly string[], zone?: string): string {
  const ms = isos.map((t) => Date.parse(t)).filter(Number.isFinite);
  if (ms.length === 0) return '';
  const lo = ms.reduce((a, b) => Math.min(a, b));
  const hi = ms.reduce((a, b) => Math.max(a, b));
  if (lo === hi) return formatTime(new Date(lo).toISOString(), zone);
  const z = normalZone(zone);
  const a = parts(lo);
  const b = parts(hi);
  const t = (ms2: number) => clock(new Date(ms2));
  const suffix = z === ZONE_UNKNOWN ? ' (zone unknown)' : ' UTC';
  const utc = a.date === b.date ? `${a.date} ${t(lo)}–${t(hi)}${suffix}` : `${a.date} ${t(lo)}${suffix} – ${b.date} ${t(hi)}${suffix}`;
  if (!z || z === ZONE_UNKNOWN) return utc;
  const off = offsetMinutes(z)! * 60_000;
  const la = parts(lo + off);
  const lb = parts(hi + off);
  const local = la.date === lb.date ? `${t(lo + off)}–${t(hi + off)}` : `${la.date} ${t(lo + off)} – ${lb.date} ${t(hi + off)}`;
  return `${utc} (${local} at ${z})`;
}

/**
 * A UTC time as its source wrote it, still ISO-8601: with the source's
 * offset ("…T09:01:02-08:00"), or with no zone at all when the source gave
 * none (`at` is then the wall clock read as if UTC). UTC stays as it is.
 */
export function isoAsWritten(iso: string, zone?: string): string {
  const z = normalZone(zone);
  if (!z) return iso;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  if (z === ZONE_UNKNOWN) return new Date(ms).toISOString().replace(/\.000Z$|Z$/, '');
  return `${new Date(ms + offsetMinutes(z)! * 60_000).toISOString().replace(/\.000Z$|Z$/, '')}${z}`;
}

// The time must end where it ends ("10:00" is not read out of "10:00:05"), whatever follows its zone (a colon ends a clause).
const ISO_IN_TEXT = /\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?![\d:]|\.\d)(Z|[+-]\d{2}:\d{2}(?!\d))?( \(zone unknown\)|, zone unknown)?/g;

/**
 * Every ISO time inside a sentence, in people's form: in UTC, with the
 * offset it was written in, and "zone unknown" for one written without a
 * zone (as fillTemplate writes a zone-less source's time) or one a
 * derivation marked "(zone unknown)" after it (its "Z" is then not UTC).
 */
export function humanizeTimes(text: string): string {
  return text.replace(ISO_IN_TEXT, (m, local: string, zone: string | undefined, mark: string | undefined) => {
    if (mark && zone !== undefined && zone !== 'Z') return m;
    if (!zone || mark) {
      if (!isIsoTime(`${local}Z`)) return m;
      const t = formatTime(`${local}Z`, ZONE_UNKNOWN);
      return mark === ', zone unknown' ? `${t.replace(/ \(zone unknown\)$/, '')}, zone unknown` : t;
    }
    if (zone === 'Z') return isIsoTime(m) ? formatTime(m) : m;
    return isIsoTime(m) ? formatTime(new Date(Date.parse(m)).toISOString(), zone) : m;
  });
}
