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

function zoneOf(offset: string): string | undefined {
  if (offset === 'Z') return undefined;
  const z = offset.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  return z === '+00:00' || z === '-00:00' ? undefined : z;
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
  if (!FULL_DATE.test(s)) {
    const tod = TIME_OF_DAY.exec(s);
    if (!tod) return {};
    const zone = tod[1] ? zoneOf(tod[1]) : 'unknown';
    return zone ? { zone } : {};
  }
  const at = toIsoTime(s);
  if (!at) return {};
  const offset = OFFSET.exec(s)?.[1];
  if (!offset) return { at, note: 'no offset in the log; read as UTC', zone: 'unknown' };
  const zone = zoneOf(offset);
  return zone ? { at, zone } : { at };
}
