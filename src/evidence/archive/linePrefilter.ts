import type { LinePrefilter, LineSink } from '../types.js';

/**
 * The union of the sinks' prefilters, as bytes. A line is decoded only when
 * it holds a needle or starts with one of the start bytes; the others are
 * counted and passed over, which is most of a big log and most of the cost.
 */
export interface ByteFilter {
  needles: Buffer[];
  /** 1 at a first byte that makes a line always delivered. */
  start: Uint8Array;
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
  f = ok ? { needles: [...new Set(p.needles)].map((n) => Buffer.from(n, 'latin1')), start } : null;
  compiled.set(p, f);
  return f;
}

export function byteFilterOf(sinks: readonly LineSink[]): ByteFilter | undefined {
  let out: ByteFilter | undefined;
  for (const s of sinks) {
    const f = s.prefilter && compile(s.prefilter);
    if (!f) return undefined;
    if (!out) out = f;
    else {
      const needles = [...out.needles];
      for (const n of f.needles) if (!needles.some((m) => m.equals(n))) needles.push(n);
      out = { needles, start: out.start.map((b, i) => b | f.start[i]!) };
    }
  }
  return out;
}
