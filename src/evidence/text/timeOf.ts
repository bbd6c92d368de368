import { toIsoTime } from '../../facts/normalize.js';

export interface LoggedTime {
  /** ISO 8601 UTC, when the line gives a full date. */
  at?: string;
  /** Said when `at` rests on an assumption. */
  note?: string;
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * The time of a log line as UTC. `log show` default style and ndjson carry
 * their offset; compact style does not (it prints the Mac's local time), so
 * its times are read as UTC and say so. Old syslog lines have no year: they
 * get no `at` at all rather than a guessed one.
 */
export function timeOf(raw: string | undefined): LoggedTime {
  if (!raw) return {};
  const s = raw.trim();
  if (!FULL_DATE.test(s)) return {};
  const at = toIsoTime(s);
  if (!at) return {};
  return HAS_OFFSET.test(s) ? { at } : { at, note: 'no offset in the log; read as UTC' };
}
