import type { Fact, Source } from './schema.js';

/**
 * When things happened, as far as the evidence can tell.
 *
 * A fact's `at` is ISO UTC. Two things make comparing two of them unsafe:
 * - a source that wrote its times without a zone (`attrs.zone = "unknown"`,
 *   e.g. Go's log prefix `2009/11/10 23:00:00`): its `at` is a wall-clock time
 *   somewhere between UTC−12 and UTC+14;
 * - whole-second stamps: two events logged in the same second cannot be
 *   ordered by their times, only by the order of the lines within one log.
 * So each time is an interval, and "a before b" holds only when the
 * intervals say so, or when both come from the same log and its lines do.
 */

/** The widest offsets in use: a zone-less wall-clock time is up to 12 h behind or 14 h ahead of UTC. */
const ZONE_BEHIND_MS = 12 * 3600_000;
const ZONE_AHEAD_MS = 14 * 3600_000;

export interface Moment {
  /** Milliseconds since the epoch of `at` as written (wall clock read as UTC when the zone is unknown). */
  ms: number;
  /** How finely the source stamps times: 1000 for whole seconds, else 1. */
  res: number;
  /** The log (file or archive member, or a paste) the time was read from: one clock, one line order. */
  src?: string;
  line: number;
  zoneLess: boolean;
}

/** Keys already made, so that a log of 500 000 lines shares one string rather than making one per line. */
const keys = new Map<string, Map<string, string>>();

/** One key per log: input and archive member, or the paste's label. */
export function sourceKey(s: Source): string | undefined {
  if (s.kind !== 'file' && s.kind !== 'pasted') return undefined;
  const first = s.kind === 'file' ? s.input : `pasted\u0000${s.input}`;
  const second = s.kind === 'file' ? (s.member ?? '') : '';
  let byMember = keys.get(first);
  if (!byMember) {
    // Bounded: a long-running bot sees many inputs; the cache only saves allocations.
    if (keys.size > 10_000) keys.clear();
    keys.set(first, (byMember = new Map()));
  }
  let k = byMember.get(second);
  if (k === undefined) byMember.set(second, (k = s.kind === 'file' ? `${s.input}\u0000${second}` : first));
  return k;
}

export function lineOf(s: Source): number {
  return s.kind === 'file' || s.kind === 'pasted' ? (s.line ?? 0) : 0;
}

export function isZoneLess(f: Pick<Fact, 'attrs'>): boolean {
  return f.attrs?.zone === 'unknown';
}

/**
 * Whole-second stamps are by far the commonest coarse ones; a time that falls
 * on .000 is taken as one (wrongly for one in a thousand precise ones, which
 * only costs an order that could have been told).
 */
function resolutionMs(ms: number): number {
  return ms % 1000 === 0 ? 1000 : 1;
}

export function momentOf(f: Pick<Fact, 'at' | 'attrs' | 'source'>): Moment | undefined {
  if (!f.at) return undefined;
  const ms = Date.parse(f.at);
  if (Number.isNaN(ms)) return undefined;
  return { ms, res: resolutionMs(ms), src: sourceKey(f.source), line: lineOf(f.source), zoneLess: isZoneLess(f) };
}

/** The same moment moved by `deltaMs` (for "at least 25 h after"). */
export function shift(m: Moment, deltaMs: number): Moment {
  return { ...m, ms: m.ms + deltaMs, line: 0 };
}

/** Earliest and latest instant a time can stand for. */
function span(m: Moment): [number, number] {
  return m.zoneLess ? [m.ms - ZONE_AHEAD_MS, m.ms + ZONE_BEHIND_MS + m.res - 1] : [m.ms, m.ms + m.res - 1];
}

function sameLog(a: Moment, b: Moment): boolean {
  return a.src !== undefined && a.src === b.src;
}

/** A rotated log's place among its rotations: the log it belongs to, and a rank (higher is newer). */
interface Rotation {
  log: string;
  kind: 'live' | 'numbered' | 'dated';
  rank: number | string;
}

const rotations = new Map<string, Rotation | null>();

/** `nanomdm.log.2.gz` → nanomdm.log, numbered 2; `micromdm.log.2026-11-30` → dated; `nanomdm.log` → the live file. */
function rotationOf(src: string): Rotation | null {
  let r = rotations.get(src);
  if (r !== undefined) return r;
  // The key is `input\0member`: a member names the log inside its archive, else the input does.
  const [input, member = ''] = src.split('\u0000');
  const path = member || input;
  const cut = path.lastIndexOf('/');
  const dir = `${member ? `${input}\u0000` : ''}${path.slice(0, cut + 1)}`;
  const name = path.slice(cut + 1).replace(/\.(?:gz|bz2|xz|zst)$/i, '');
  const numbered = /^(.+\.log)\.(\d{1,3})$/i.exec(name);
  const dated = /^(.+\.log)[.-](\d{4})-?(\d{2})-?(\d{2})$/i.exec(name);
  // The date inside the name, before `.log`: winston's daily files (`server-2026-11-30.log`), lumberjack's
  // backups of `nanomdm.log` (`nanomdm-2026-11-30T10-15-00.000.log`, the time it was rotated).
  const datedStem = /^(.+?)[._-](\d{4})-?(\d{2})-?(\d{2})(?:[T_-](\d{2})[-:]?(\d{2})[-:]?(\d{2})(?:\.\d+)?)?\.log$/i.exec(name);
  if (numbered) r = { log: dir + numbered[1], kind: 'numbered', rank: -Number(numbered[2]) };
  else if (dated) r = { log: dir + dated[1], kind: 'dated', rank: `${dated[2]}-${dated[3]}-${dated[4]}` };
  else if (datedStem) {
    const [, stem, y, mo, d, h, mi, sec] = datedStem;
    r = { log: `${dir}${stem}.log`, kind: 'dated', rank: `${y}-${mo}-${d}${h ? `T${h}:${mi}:${sec}` : ''}` };
  } else if (/\.log$/i.test(name)) r = { log: dir + name, kind: 'live', rank: 0 };
  else r = null;
  if (rotations.size > 10_000) rotations.clear();
  rotations.set(src, r);
  return r;
}

/**
 * Which of two logs is older when their names say they are rotations of one log (`nanomdm.log.1` before
 * `nanomdm.log`, `.2` before `.1`, an earlier date before a later one): -1 when `a`'s lines were all written
 * before `b`'s, 1 when after, 0 when the names tell nothing (or they are the same log).
 */
export function rotationOrder(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined || a === b) return 0;
  const ra = rotationOf(a);
  const rb = rotationOf(b);
  if (!ra || !rb || ra.log !== rb.log) return 0;
  if (ra.kind === 'live' || rb.kind === 'live') return ra.kind === rb.kind ? 0 : ra.kind === 'live' ? 1 : -1;
  // A numbered and a dated rotation of one log say nothing of each other.
  if (ra.kind !== rb.kind || ra.rank === rb.rank) return 0;
  return ra.rank < rb.rank ? -1 : 1;
}

export type Order = 'before' | 'after' | 'unknown';

/**
 * Whether `a` happened before or after `b`. Within one log the times and then
 * the line order decide (lines are written in order). Across logs only the
 * intervals decide, so a zone-less time is ordered against another log's only
 * when they lie more than a day apart.
 */
export function order(a: Moment, b: Moment): Order {
  if (sameLog(a, b)) {
    if (a.ms !== b.ms) return a.ms < b.ms ? 'before' : 'after';
    if (a.line && b.line && a.line !== b.line) return a.line < b.line ? 'before' : 'after';
    return 'unknown';
  }
  // Rotations of one log share its clock, and the older file's lines were all written first.
  const rotated = rotationOrder(a.src, b.src);
  if (rotated) {
    if (a.ms !== b.ms) return a.ms < b.ms ? 'before' : 'after';
    return rotated < 0 ? 'before' : 'after';
  }
  const [alo, ahi] = span(a);
  const [blo, bhi] = span(b);
  if (ahi < blo) return 'before';
  if (bhi < alo) return 'after';
  return 'unknown';
}

/** Whether two times share a clock (same log, or both with a known zone), so that their gap means something. */
export function comparable(a: Moment, b: Moment): boolean {
  return sameLog(a, b) || (!a.zoneLess && !b.zoneLess) || rotationOrder(a.src, b.src) !== 0;
}

/** The gap from `a` to `b` in ms, as far as the stamps tell: [least, most]; undefined without a common clock. */
export function gapMs(a: Moment, b: Moment): { least: number; most: number } | undefined {
  if (!comparable(a, b)) return undefined;
  return { least: b.ms - (a.ms + a.res - 1), most: b.ms + b.res - 1 - a.ms };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** "25 h", "25 h 10 min", "3 s". */
export function duration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

// ------------------------------------------------------------------ zones

const OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * An answer naming a zone, in a canonical form: "+02:00" for an offset
 * ("UTC+2", "+0200", "GMT-05:00"), "UTC" for UTC, or the IANA name
 * ("Europe/Berlin") when the runtime knows it. Null when it is neither.
 */
export function canonicalZone(raw: string): string | null {
  const t = raw.trim();
  if (/^(?:UTC|GMT|Z|Zulu)$/i.test(t)) return 'UTC';
  const m = OFFSET.exec(t);
  if (m) {
    const h = Number(m[2]);
    const min = Number(m[3] ?? 0);
    if (h > 14 || min > 59) return null;
    if (h === 0 && min === 0) return 'UTC';
    return `${m[1]}${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
  }
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/.test(t)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function offsetMinutesAt(zone: string, instant: number): number {
  if (zone === 'UTC') return 0;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  // An IANA zone: its wall clock at `instant`, read as UTC, minus the instant.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * A wall-clock time (read as if UTC) in `zone`, as the real UTC instant and
 * the offset that applied, e.g. "+01:00".
 */
export function wallClockToUtc(wallMs: number, zone: string): { ms: number; offset: string } {
  let off = offsetMinutesAt(zone, wallMs);
  // Twice, so that a time near a daylight-saving change settles on its own offset.
  for (let i = 0; i < 2; i++) off = offsetMinutesAt(zone, wallMs - off * 60_000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return { ms: wallMs - off * 60_000, offset: `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}` };
}
