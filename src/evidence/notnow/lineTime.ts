import { toIsoTime } from '../../facts/normalize.js';
import type { LogRecord } from './logfmt.js';

/**
 * The time a server log line was written, as ISO 8601 UTC, or undefined.
 *
 * Go's standard log prefix ("2021/05/30 12:26:18", NanoMDM before NanoLIB)
 * carries no zone; it is the server's local time and is read as UTC, because
 * a report must not depend on the zone of the machine reading the log.
 */
export function lineTime(rec: LogRecord, raw: string): string | undefined {
  for (const key of ['ts', 'time', 'timestamp', 'createdat']) {
    const v = rec.fields.get(key);
    if (v === undefined) continue;
    const t = parseTime(v);
    if (t) return t;
  }
  const lead = raw.match(/^\s*(?:\[)?(\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/);
  if (lead) return parseTime(lead[1]) ?? undefined;
  return undefined;
}

function parseTime(v: string): string | null {
  const s = v.trim();
  if (/^\d{9,10}(\.\d+)?$/.test(s)) return new Date(Math.round(Number(s) * 1000)).toISOString(); // epoch seconds (zap)
  if (/^\d{13}$/.test(s)) return new Date(Number(s)).toISOString(); // epoch milliseconds
  // Only accept shapes that say a year-month-day first: Date() would read "12:26:18" or "05/30" in the reader's zone.
  const m = s.match(/^(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}:\d{2}:\d{2})([.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/);
  if (!m) return null;
  return toIsoTime(`${m[1]}-${m[2]}-${m[3]} ${m[4]}${m[5] ? m[5].replace(',', '.') : ''}${m[6] ?? 'Z'}`);
}
