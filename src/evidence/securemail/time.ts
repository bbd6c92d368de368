/**
 * Times as Secure Mail writes them, e.g. `01-Dec-2016 12:47:19:310 (+0000)`
 * (milliseconds after a colon, the zone in brackets), plus ISO-like and
 * US-style forms Excel produces when a CSV is re-saved. A time without a
 * zone (Excel drops it) is its wall clock read as if UTC, so results do not
 * depend on the machine's zone, and is said to be zone-less: its facts carry
 * `attrs.zone = "unknown"` and are ordered against other files' only loosely.
 */
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

const ZONE = String.raw`(?:\s*\(?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})\s*\)?)?`;
const FRAC = String.raw`(?:[:.,](\d{1,6}))?`;
const DMY_NAMED = new RegExp(String.raw`(\d{1,2})[- ]([A-Za-z]{3})[a-z]*[- ](\d{4})[ T,]+(\d{1,2}):(\d{2}):(\d{2})${FRAC}${ZONE}`, 'g');
const ISO = new RegExp(String.raw`(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})${FRAC}${ZONE}`, 'g');
const SLASHED = new RegExp(String.raw`(\d{1,2})/(\d{1,2})/(\d{2,4})[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?${FRAC}(?:\s*([AaPp][Mm]))?${ZONE}`, 'g');

export interface TimeMatch {
  iso: string;
  index: number;
  length: number;
  /** Written without a zone: `iso` is the wall clock read as if UTC. */
  zoneLess: boolean;
}

/** A time and whether it was written without a zone. */
export interface ParsedTime {
  iso: string;
  zoneLess: boolean;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined, zone: string | undefined): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  let offsetMin = 0;
  if (zone && /^[+-]/.test(zone)) {
    const z = zone.replace(':', '');
    offsetMin = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, s, Math.min(ms, 999)) - offsetMin * 60_000;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Every time written in `text`, in order (a concatenated row holds several). */
export function findTimes(text: string): TimeMatch[] {
  const out: TimeMatch[] = [];
  const taken = (i: number) => out.some((m) => i >= m.index && i < m.index + m.length);
  for (const m of text.matchAll(DMY_NAMED)) {
    const mo = MONTHS[m[2].toLowerCase()];
    const iso = mo ? build(+m[3], mo, +m[1], +m[4], +m[5], +m[6], m[7], m[8]) : null;
    if (iso) out.push({ iso, index: m.index!, length: m[0].length, zoneLess: !m[8] });
  }
  for (const m of text.matchAll(ISO)) {
    if (taken(m.index!)) continue;
    const iso = build(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], m[7], m[8]);
    if (iso) out.push({ iso, index: m.index!, length: m[0].length, zoneLess: !m[8] });
  }
  for (const m of text.matchAll(SLASHED)) {
    if (taken(m.index!)) continue;
    const a = +m[1];
    const b = +m[2];
    // Day first when the first number cannot be a month; otherwise Excel's US order.
    const [mo, d] = a > 12 ? [b, a] : [a, b];
    let y = +m[3];
    if (y < 100) y += 2000;
    let h = +m[4];
    const ampm = m[8]?.toLowerCase();
    if (ampm === 'pm' && h < 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
    const iso = build(y, mo, d, h, +m[5], m[6] ? +m[6] : 0, m[7], m[9]);
    if (iso) out.push({ iso, index: m.index!, length: m[0].length, zoneLess: !m[9] });
  }
  return out.sort((x, y) => x.index - y.index);
}

/** The two forms a time cell starts with, anchored at its start (a 200,000-row table parses one per row). */
const DMY_NAMED_AT_START = new RegExp(DMY_NAMED.source, 'y');
const ISO_AT_START = new RegExp(ISO.source, 'y');

/** The first time in `text`, as ISO 8601 UTC, or null. */
export function parseTime(text: string): string | null {
  return parseTimeZoned(text)?.iso ?? null;
}

/** The first time in `text`, as ISO 8601 UTC, and whether it was written without a zone; or null. */
export function parseTimeZoned(text: string): ParsedTime | null {
  // A time at the very start is the first findTimes would give (named months first, then ISO, at one index).
  DMY_NAMED_AT_START.lastIndex = 0;
  const d = DMY_NAMED_AT_START.exec(text);
  const mo = d ? MONTHS[d[2].toLowerCase()] : undefined;
  const named = d && mo ? build(+d[3], mo, +d[1], +d[4], +d[5], +d[6], d[7], d[8]) : null;
  if (named) return { iso: named, zoneLess: !d![8] };
  if (!d) {
    ISO_AT_START.lastIndex = 0;
    const m = ISO_AT_START.exec(text);
    const iso = m ? build(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], m[7], m[8]) : null;
    if (iso) return { iso, zoneLess: !m![8] };
  }
  const first = findTimes(text)[0];
  return first ? { iso: first.iso, zoneLess: first.zoneLess } : null;
}

/** Whether a whole cell is a time (so a header row can be told from data). */
export function isTimeCell(cell: string): boolean {
  const m = findTimes(cell.trim())[0];
  return !!m && m.index === 0 && m.length >= cell.trim().length - 2;
}
