import { toIsoTime } from '../../facts/normalize.js';

export interface LoggedTime {
  /** ISO 8601 UTC, when the line gives a full date. */
  at?: string;
  /** Said when `at` rests on an assumption. */
  note?: string;
  /**
   * The shared zone convention: "unknown" when the log wrote no offset (`at`
   * is then the wall-clock time read as if UTC), "+01:00" style for an
   * explicit non-UTC offset (`at` is converted to UTC), absent for UTC.
   */
  zone?: string;
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/;
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;
const TIME_OF_DAY = /^\d{2}:\d{2}:\d{2}(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Zones by offset as written: a log repeats one or two. */
const zones = new Map<string, string | undefined>();

function zoneOf(offset: string): string | undefined {
  if (offset === 'Z') return undefined;
  if (zones.has(offset)) return zones.get(offset);
  const z = offset.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const zone = z === '+00:00' || z === '-00:00' ? undefined : z;
  if (zones.size < 64) zones.set(offset, zone);
  return zone;
}

/**
 * The time of a log line as UTC. `log show` default style and ndjson carry
 * their offset; compact style does not (it prints the Mac's local time), so
 * its times are read as UTC and say so. Old syslog lines have no year, and
 * Console copies no date at all: they get no `at` rather than a guessed one,
 * but a Console copy's explicit offset is still kept as the zone.
 */
export function timeOf(raw: string | undefined): LoggedTime {
  if (!raw) return {};
  const s = raw.trim();
  const fast = commonTimeOf(s);
  if (fast) return fast;
  if (!FULL_DATE.test(s)) {
    const tod = TIME_OF_DAY.exec(s);
    if (!tod) return {};
    const zone = tod[1] ? zoneOf(tod[1]) : 'unknown';
    return zone ? { zone } : {};
  }
  const at = toIsoTime(s);
  if (!at) return {};
  const offset = OFFSET.exec(s)?.[1];
  if (!offset) return { at, note: NO_OFFSET, zone: 'unknown' };
  const zone = zoneOf(offset);
  return zone ? { at, zone } : { at };
}

/** The shape nearly every log line's time has: `log show`, syslog-style and ndjson exports. */
const COMMON = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const NO_OFFSET = 'no offset in the log; read as UTC';

/**
 * timeOf for a plainly valid time of the common shape, reckoned without
 * building and parsing a date string (a push-heavy log has thousands); the
 * same answer as the general path, which takes everything else (odd days,
 * hour 24, two-digit years' neighbours, offsets past a day).
 */
function commonTimeOf(s: string): LoggedTime | undefined {
  const m = COMMON.exec(s);
  if (!m) return undefined;
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  const h = +m[4]!;
  const mi = +m[5]!;
  const sec = +m[6]!;
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > DAYS[mo - 1]! || (mo === 2 && d === 29 && !isLeap(y)) || h > 23 || mi > 59 || sec > 59) return undefined;
  // Milliseconds as the general path reads them: the first three digits of the fraction.
  const ms = m[7] ? +m[7].slice(0, 3).padEnd(3, '0') : 0;
  const offset = m[8];
  let shift = 0;
  if (offset && offset !== 'Z') {
    const oh = +offset.slice(1, 3);
    const om = +offset.slice(offset.length - 2);
    if (oh > 23 || om > 59) return undefined;
    shift = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, sec, ms) - shift).toISOString();
  if (!offset) return { at, note: NO_OFFSET, zone: 'unknown' };
  const zone = zoneOf(offset);
  return zone ? { at, zone } : { at };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
