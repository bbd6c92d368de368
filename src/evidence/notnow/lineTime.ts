import { toIsoTime } from '../../facts/normalize.js';
import type { LogRecord } from './logfmt.js';

export interface LineTime {
  /** ISO 8601 UTC; for a zone-less stamp, the wall-clock time read as if it were UTC. */
  at: string;
  /** "unknown" when the line wrote no zone; "+01:00" style when it wrote a non-UTC offset; absent for UTC. */
  zone?: string;
}

/**
 * The time a server log line was written, or undefined.
 *
 * Go's standard log prefix ("2021/05/30 12:26:18", NanoMDM before NanoLIB,
 * MicroMDM's plain lines) carries no zone: it is the server's local time.
 * It is kept as written and marked zone "unknown", so that it is never
 * silently compared with another source's times as if it were UTC.
 */
export function lineTime(rec: LogRecord, raw: string): LineTime | undefined {
  for (const key of ['ts', 'time', 'timestamp', 'createdat']) {
    const v = rec.fields.get(key);
    if (v === undefined) continue;
    const t = parseTime(v);
    if (t) return t;
  }
  const lead = raw.match(/^\s*(?:\[)?(\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?(?:Z|[+-]\d{2}:?\d{2}))?)/);
  if (lead) return parseTime(lead[1]);
  return undefined;
}

function offsetOf(z: string): string | undefined {
  if (z === 'Z') return undefined;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m || (m[2] === '00' && m[3] === '00')) return undefined;
  return `${m[1]}${m[2]}:${m[3]}`;
}

function parseTime(v: string): LineTime | undefined {
  const s = v.trim();
  if (/^\d{9,10}(\.\d+)?$/.test(s)) return { at: new Date(Math.round(Number(s) * 1000)).toISOString() }; // epoch seconds (zap)
  if (/^\d{13}$/.test(s)) return { at: new Date(Number(s)).toISOString() }; // epoch milliseconds
  // Only accept shapes that say a year-month-day first: Date() would read "12:26:18" or "05/30" in the reader's zone.
  const m = s.match(/^(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}:\d{2}:\d{2})([.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/);
  if (!m) return undefined;
  const at = toIsoTime(`${m[1]}-${m[2]}-${m[3]} ${m[4]}${m[5] ? m[5].replace(',', '.') : ''}${m[6] ?? 'Z'}`);
  if (!at) return undefined;
  if (!m[6]) return { at, zone: 'unknown' };
  const zone = offsetOf(m[6]);
  return zone ? { at, zone } : { at };
}
