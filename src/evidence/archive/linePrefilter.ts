import type { LinePrefilter, LineSink } from '../types.js';

/**
 * The union of the sinks' prefilters, as bytes. A line is decoded only when
 * it holds a needle or starts with one of the start bytes; the others are
 * counted and passed over, which is most of a big log and most of the cost.
 */
export interface ByteFilter {
  /** One search per key; a line holds a needle when one of its keys is found there and the needle around it checks out. */
  keys: NeedleKey[];
  /** 1 at a first byte that makes a line always delivered. */
  start: Uint8Array;
}

/**
 * A piece of one or more needles that is searched for in the raw bytes:
 * the piece starting at the needle's least common byte, so that the search
 * (which stops at every occurrence of the piece's first byte) runs on. What
 * a search finds is a needle only when the bytes around it are the whole
 * needle (see needleAt).
 */
export interface NeedleKey {
  key: Buffer;
  /** The needles the key is a piece of, and where in each the key starts. */
  needles: { bytes: Buffer; at: number }[];
}

/** Longest key: Buffer#indexOf switches to a slower search for longer needles. */
const MAX_KEY = 6;

/**
 * How common each printable byte is in device logs, most common first
 * (measured on sysdiagnose text members). Bytes not listed are rarer than
 * any listed.
 */
const COMMON = ' 02eona1itr:d-84s693l5u7c.pfhDCxmgF>E<ybBPA[]()S+vwkI,RNq=MTW%LK"';
const rank = new Uint8Array(256).fill(COMMON.length);
for (let i = 0; i < COMMON.length; i++) rank[COMMON.charCodeAt(i)] = i;

/** The key of a needle: from its least common byte (leaving at least two bytes), at most MAX_KEY long. */
function keyOf(needle: Buffer): { key: Buffer; at: number } {
  let at = 0;
  for (let i = 1; i <= needle.length - 2; i++) if (rank[needle[i]!]! > rank[needle[at]!]!) at = i;
  return { key: needle.subarray(at, at + MAX_KEY), at };
}

/** Whether the whole of `needle` sits in buf with its key at position h. */
function needleAt(buf: Buffer, h: number, n: { bytes: Buffer; at: number }): boolean {
  const start = h - n.at;
  const len = n.bytes.length;
  if (start < 0 || start + len > buf.length) return false;
  for (let i = 0; i < len; i++) if (buf[start + i] !== n.bytes[i]) return false;
  return true;
}

/** Where the next needle of k sits in buf at or after `from` (the position of its key), or -1. */
export function nextNeedle(buf: Buffer, k: NeedleKey, from: number): number {
  const { key, needles } = k;
  // A key that is a whole needle needs no check around it (the common case).
  const whole = needles.length === 1 && needles[0]!.at === 0 && needles[0]!.bytes.length === key.length;
  for (let h = buf.indexOf(key, from); h >= 0; h = buf.indexOf(key, h + 1)) {
    if (whole) return h;
    for (const n of needles) if (needleAt(buf, h, n)) return h;
  }
  return -1;
}

/** Compiled once per prefilter object: a feeder is made for every log of an archive. */
const compiled = new WeakMap<LinePrefilter, ByteFilter | null>();

function compile(p: LinePrefilter): ByteFilter | null {
  let f = compiled.get(p);
  if (f !== undefined) return f;
  const start = new Uint8Array(256);
  for (const b of p.startBytes ?? []) start[b & 0xff] = 1;
  // A needle must be found in the raw bytes exactly where the text holds it: printable ASCII only.
  const ok = p.needles.length > 0 && p.needles.every((n) => /^[\x20-\x7e]+$/.test(n));
  f = ok ? { keys: keysOf([...new Set(p.needles)].map((n) => Buffer.from(n, 'latin1'))), start } : null;
  compiled.set(p, f);
  return f;
}

/** Needles grouped by key; a needle that holds another needle is left out (the shorter one finds its lines). */
function keysOf(needles: Buffer[]): NeedleKey[] {
  const kept = needles.filter((n, i) => !needles.some((m, j) => j !== i && n.includes(m) && (m.length < n.length || j < i)));
  const keys: NeedleKey[] = [];
  for (const bytes of kept) {
    const { key, at } = keyOf(bytes);
    const same = keys.find((k) => k.key.equals(key));
    if (same) same.needles.push({ bytes, at });
    else keys.push({ key, needles: [{ bytes, at }] });
  }
  return keys;
}

/** Merged filters, per set of compiled filters (the same readers meet again and again in one archive). */
const merged = new WeakMap<ByteFilter, WeakMap<ByteFilter, ByteFilter>>();

export function byteFilterOf(sinks: readonly LineSink[]): ByteFilter | undefined {
  let out: ByteFilter | undefined;
  for (const s of sinks) {
    const f = s.prefilter && compile(s.prefilter);
    if (!f) return undefined;
    out = out ? mergeFilters(out, f) : f;
  }
  return out;
}

function mergeFilters(a: ByteFilter, b: ByteFilter): ByteFilter {
  let byB = merged.get(a);
  if (!byB) merged.set(a, (byB = new WeakMap()));
  let m = byB.get(b);
  if (!m) {
    const needles = [...a.keys, ...b.keys].flatMap((k) => k.needles.map((n) => n.bytes));
    const unique = needles.filter((n, i) => needles.findIndex((o) => o.equals(n)) === i);
    m = { keys: keysOf(unique), start: a.start.map((x, i) => x | b.start[i]!) };
    byB.set(b, m);
  }
  return m;
}
