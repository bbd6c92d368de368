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
    const fast = inLastMinute(m[1], m[2], tz, sec, frac);
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
 * The last minute a time was read in (date, "HH:MM", zone) and the UTC ISO text of its start up to
 * the seconds ("2024-03-01T09:22:"), '' when that minute is not one this shortcut takes. A log's
 * lines come minute after minute: each line's time is its minute's start plus its seconds and
 * milliseconds, written without parsing a date and writing it out again for every line.
 */
const lastMinute = { date: '', hm: '', tz: '', iso: '' };

/** The ISO time when it is in the last minute read (or the minute is new and plainly valid), else undefined: parse it. */
function inLastMinute(date: string, hm: string, tz: string, sec: string, frac: string): string | undefined {
  // ":SS" below 60, and no fraction or three digits of one: what toISOString writes back digit for digit.
  if (sec.charCodeAt(1) > 53 || (frac !== '' && frac.length !== 4)) return undefined;
  if (date !== lastMinute.date || hm !== lastMinute.hm || tz !== lastMinute.tz) {
    lastMinute.date = date;
    lastMinute.hm = hm;
    lastMinute.tz = tz;
    lastMinute.iso = minuteStart(date, hm, tz);
  }
  if (lastMinute.iso === '') return undefined;
  return `${lastMinute.iso}${sec.slice(1)}.${frac === '' ? '000' : frac.slice(1)}Z`;
}

/** The UTC ISO start of a minute whose every field is in range, up to its seconds; '' otherwise. */
function minuteStart(date: string, hm: string, tz: string): string {
  const y = Number(date.slice(0, 4));
  const mo = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const h = Number(hm.slice(0, 2));
  const mi = Number(hm.slice(3, 5));
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(2000, mo, 0)).getUTCDate() || h > 23 || mi > 59) return '';
  // February 29th only in a leap year.
  if (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return '';
  let offset = 0;
  if (tz !== 'Z') {
    const oh = Number(tz.slice(1, 3));
    const om = Number(tz.slice(4, 6));
    if (oh > 23 || om > 59) return '';
    offset = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi) - offset * 60_000;
  // Date.UTC reads years 0–99 as 1900–1999: those go the long way, as do years that leave four digits.
  if (y < 100) return '';
  const iso = new Date(ms).toISOString();
  return iso.length === 24 ? iso.slice(0, 17) : '';
}
