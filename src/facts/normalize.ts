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
    const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}${frac}${tz}`);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  // Other shapes only with a zone written out: Date() would read a zone-less one in this machine's zone.
  if (!/(?:\b(?:UTC|GMT|Z)\b|[+-]\d{2}:?\d{2})\s*$/i.test(s)) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
