/**
 * Push tokens arrive as 64 hex digits, with spaces, inside <…> (NSData's
 * description), or base64 (MDM TokenUpdate). Returns lower-case hex or null.
 */
export function normalizeToken(raw: string): string | null {
  const t = raw.trim().replace(/^<|>$/g, '').trim();
  const hex = t.replace(/[\s:]/g, '');
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return hex.toLowerCase();
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t.replace(/\s/g, ''))) {
    const buf = Buffer.from(t.replace(/\s/g, ''), 'base64');
    if (buf.length === 32) return buf.toString('hex');
  }
  return null;
}

/**
 * A server's own short id for a device (`device_id=A1`, Jamf's 42), too short to be a UDID or serial: letters and
 * digits with at least one digit, so that no word ("yes", "none", "null") and no lone letter names a device; an id
 * of only zeros is a server's "no device".
 */
export function isShortDeviceId(v: string): boolean {
  return v.length < 8 && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(v) && /\d/.test(v) && !/^0+$/.test(v);
}

/** Hex with optional spaces / <> / colons, any even length; lower-cased. */
export function normalizeHex(raw: string): string | null {
  const hex = raw.trim().replace(/^<|>$/g, '').replace(/[\s:]/g, '');
  return /^(?:[0-9a-fA-F]{2})+$/.test(hex) ? hex.toLowerCase() : null;
}

/** Parses a time people or logs write and returns ISO 8601 UTC, or null. */
export function toIsoTime(raw: string): string | null {
  const s = raw.trim();
  if (!s) return null;
  // "2024-03-01 10:22:33.123456+0100" (log show) → make Date-parsable.
  const m = s.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(\.\d+)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i);
  if (m) {
    const frac = m[4] ? m[4].slice(0, 4) : '';
    const tz = !m[5] || /^(Z|UTC|GMT)$/i.test(m[5]) ? 'Z' : m[5].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const sec = m[3] ?? ':00';
    const fast = shortcut(m[1], m[2], tz, sec, frac);
    if (fast !== undefined) return fast;
    const d = new Date(`${m[1]}T${m[2]}${sec}${frac}${tz}`);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  // Other shapes only with a zone written out: Date() would read a zone-less one in this machine's zone.
  if (!/(?:\b(?:UTC|GMT|Z)\b|[+-]\d{2}:?\d{2})\s*$/i.test(s)) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The day and zone of the last time read, and the ms of that day's start ("2024-03-01" at
 * "+01:00"); NaN when the day is not one this shortcut takes. A time on that day with its fields
 * in range is that start plus its hours, minutes, seconds and milliseconds: a log's lines are
 * not each turned into text for Date to parse.
 */
const lastDay = { date: '', tz: '', ms: Number.NaN };

/** The ISO time of a plainly valid time, else undefined: parse it. */
function shortcut(date: string, hm: string, tz: string, sec: string, frac: string): string | undefined {
  // Seconds below 60, and no fraction or three digits of one (Date reads a shorter one its own way).
  if (sec.charCodeAt(1) > 53 || (frac !== '' && frac.length !== 4)) return undefined;
  const h = Number(hm.slice(0, 2));
  const mi = Number(hm.slice(3, 5));
  if (h > 23 || mi > 59) return undefined;
  if (date !== lastDay.date || tz !== lastDay.tz) {
    lastDay.date = date;
    lastDay.tz = tz;
    lastDay.ms = dayStart(date, tz);
  }
  if (Number.isNaN(lastDay.ms)) return undefined;
  return new Date(lastDay.ms + ((h * 60 + mi) * 60 + Number(sec.slice(1))) * 1000 + (frac === '' ? 0 : Number(frac.slice(1)))).toISOString();
}

/** The ms of a day's start in a zone ("Z", "+01:00"), when every field is in range; NaN otherwise. */
function dayStart(date: string, tz: string): number {
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  // Date.UTC reads years 0–99 as 1900–1999: those go the long way.
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return Number.NaN;
  let offset = 0;
  if (tz !== 'Z') {
    const oh = Number(tz.slice(1, 3));
    const om = Number(tz.slice(4, 6));
    if (oh > 23 || om > 59) return Number.NaN;
    offset = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d) - offset * 60_000;
}
