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
 * What is searched for in the raw bytes to find one or more needles: the
 * piece of a needle that starts at its least common byte (the search stops
 * at every occurrence of a key's first byte), or one rare byte that several
 * needles hold (one search instead of several). What a search finds is a
 * needle only when the bytes around it are the whole needle.
 */
export interface NeedleKey {
  key: Buffer | number;
  /** The needles the key finds, and where in each the key starts. */
  needles: { bytes: Buffer; at: number }[];
  /** The key is the whole of its one needle: nothing to check around it. */
  whole: boolean;
}

/** Longest key: Buffer#indexOf switches to a slower search for longer needles. */
const MAX_KEY = 6;

/**
 * How common printable bytes are in device logs (per thousand bytes,
 * measured on the text members of the two bench sysdiagnoses), most
 * common first. Rough figures: they steer which keys are searched for,
 * never which lines are found. Bytes not
 * listed are rarer than any listed.
 */
const FREQ: [string, number][] = [
  [' ', 138],
  ['0', 86],
  ['2', 47],
  ['e', 42],
  ['o', 38],
  ['n', 35],
  ['a', 31],
  ['1', 30],
  ['i', 29],
  ['t', 29],
  ['r', 28],
  [':', 24],
  ['d', 23],
  ['-', 23],
  ['8', 23],
  ['4', 22],
  ['s', 21],
  ['6', 20],
  ['9', 20],
  ['3', 19],
  ['l', 18],
  ['5', 18],
  ['u', 17],
  ['7', 16],
  ['c', 15],
  ['.', 12],
  ['p', 11],
  ['f', 9],
  ['h', 9],
  ['D', 9],
  ['C', 8],
  ['x', 7],
  ['m', 7],
  ['g', 7],
  ['F', 7],
  ['>', 6],
  ['E', 6],
  ['<', 5.5],
  ['y', 5],
  ['b', 5],
  ['B', 5],
  ['P', 4.7],
  ['A', 4.6],
  ['[', 4.4],
  [']', 4.4],
  ['(', 4.3],
  [')', 4.3],
  ['S', 4.2],
  ['+', 3.8],
  ['v', 3.3],
  ['w', 3.2],
  ['k', 2.7],
  ['I', 2.3],
  [',', 1.8],
  ['R', 1.7],
  ['N', 1.2],
  ['q', 1],
  ['=', 0.9],
  ['M', 0.9],
  ['T', 0.9],
  ['W', 0.8],
  ['%', 0.6],
  ['L', 0.6],
  ['K', 0.6],
  ['"', 0.6],
];
const freq = new Float64Array(256).fill(0.5);
for (const [c, f] of FREQ) freq[c.charCodeAt(0)] = f;

/**
 * Rough costs, per thousand bytes searched, in stops of a search: one pass
 * costs about as much as PASS stops, a byte found by a one-byte key and
 * checked costs about ONE_BYTE_STOP of them (a call back into JS each).
 */
const PASS = 5;
const ONE_BYTE_STOP = 3;

/** The key of one needle: from its least common byte (leaving at least two bytes), at most MAX_KEY long. */
function pieceOf(bytes: Buffer): { key: Buffer; at: number } {
  let at = 0;
  for (let i = 1; i <= bytes.length - 2; i++) if (freq[bytes[i]!]! < freq[bytes[at]!]!) at = i;
  return { key: bytes.subarray(at, at + MAX_KEY), at };
}

/** Whether the whole needle sits in buf with its key at position h. */
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
  for (let h = buf.indexOf(key, from); h >= 0; h = buf.indexOf(key, h + 1)) {
    if (k.whole) return h;
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

/**
 * The keys for a set of needles. A needle that holds another is left out
 * (the shorter one finds its lines). Needles that share a rare byte are
 * found by that byte alone when one search for it costs less than theirs
 * (e.g. 'MDM' and 'ManagedClient' by 'M'); each other needle by its piece.
 */
function keysOf(all: Buffer[]): NeedleKey[] {
  let left = all.filter((n, i) => !all.some((m, j) => j !== i && n.includes(m) && (m.length < n.length || j < i)));
  const alone = (n: Buffer) => PASS + freq[pieceOf(n).key[0]!]!;
  const keys: NeedleKey[] = [];
  for (;;) {
    let best: { byte: number; group: Buffer[]; saves: number } | undefined;
    for (let byte = 0x20; byte < 0x7f; byte++) {
      const group = left.filter((n) => n.includes(byte));
      if (group.length < 2) continue;
      const saves = group.reduce((sum, n) => sum + alone(n), 0) - (PASS + ONE_BYTE_STOP * freq[byte]!);
      if (saves > 0 && (!best || saves > best.saves)) best = { byte, group, saves };
    }
    if (!best) break;
    const { byte, group } = best;
    keys.push({ key: byte, needles: group.map((bytes) => ({ bytes, at: bytes.indexOf(byte) })), whole: false });
    left = left.filter((n) => !group.includes(n));
  }
  for (const bytes of left) {
    const { key, at } = pieceOf(bytes);
    const same = keys.find((k) => typeof k.key !== 'number' && k.key.equals(key));
    if (same) {
      same.needles.push({ bytes, at });
      same.whole = false;
    } else keys.push({ key, needles: [{ bytes, at }], whole: at === 0 && key.length === bytes.length });
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
