import { toIsoTime } from '../../facts/normalize.js';

/**
 * An MDM server saying when a device last reached it: Jamf Pro's "has not
 * checked in since …" and "Last Check-in: … at 8:58 AM", in its server log or
 * copied from the device's inventory page. The time is the device's last
 * contact as the server recorded it; it is no APNs answer and says nothing
 * about whether APNs accepted a push.
 */

export interface LastCheckin {
  /** ISO UTC; for a time written without a zone, the wall clock read as if UTC. */
  at: string;
  /** "unknown" with no zone written, "+01:00" style for an offset, absent for UTC. */
  zone?: string;
  udid?: string;
  serial?: string;
}

/** Cheap test before the full pattern: every shape names a check-in. */
export const CHECKIN_WORDS = /check(?:ed)?[- ]in/i;
/** Needles for the line feeder's prefilter (bytes, case as servers write them). */
export const CHECKIN_NEEDLES = ['checked in', 'Check-in', 'check-in', 'Check-In'];

// One whitespace run between words, never two quantifiers over the same spaces (no backtracking blow-up).
const SINCE =
  /\b(?:has\s?n[o']t\s+checked\s+in\s+since\s+|last\s+checked\s+in\s+(?:(?:on|at)\s+)?|last\s+check-in(?:\s+time)?(?::\s*|\s+))(\d{4})-(\d{2})-(\d{2})(?:\s+at\s+|[ T])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d{1,6})?(?:\s*([AP]M))?(?:\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}))?/i;
const UDID = /\b([0-9A-F]{8}-[0-9A-F]{16}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}|[0-9a-f]{40})\b/i;
const SERIAL = /\bserial(?:\s+number)?\s*[:=]?\s*\(?([A-Z0-9]{8,14})\b/i;

export function lastCheckinOf(line: string): LastCheckin | undefined {
  if (line.length > 4000 || !CHECKIN_WORDS.test(line)) return undefined;
  const m = SINCE.exec(line);
  if (!m) return undefined;
  let hour = Number(m[4]);
  const ampm = m[7]?.toUpperCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (ampm === 'PM' ? 12 : 0);
  }
  if (hour > 23) return undefined;
  const zoneText = m[8];
  const at = toIsoTime(`${m[1]}-${m[2]}-${m[3]} ${String(hour).padStart(2, '0')}:${m[5]}:${m[6] ?? '00'}${zoneText ? zoneText : 'Z'}`);
  if (!at) return undefined;
  const out: LastCheckin = { at };
  const zone = zoneText ? offsetOf(zoneText) : 'unknown';
  if (zone) out.zone = zone;
  const udid = UDID.exec(line)?.[1];
  if (udid) out.udid = udid;
  const serial = SERIAL.exec(line)?.[1];
  if (serial && /\d/.test(serial) && /[A-Z]/i.test(serial)) out.serial = serial.toUpperCase();
  return out;
}

function offsetOf(z: string): string | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m || (m[2] === '00' && m[3] === '00')) return undefined;
  return `${m[1]}${m[2]}:${m[3]}`;
}
