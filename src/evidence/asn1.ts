/**
 * Bounds-checked BER/DER reading shared by the readers that open signed
 * containers (CMS profiles) and certificates. Malformed input yields
 * undefined, never a throw; nesting is capped.
 */

export interface Tlv {
  tag: number;
  constructed: boolean;
  /** First content byte. */
  start: number;
  /** One past the last content byte (for indefinite lengths: before the 00 00). */
  end: number;
  /** One past the whole element. */
  next: number;
}

const MAX_DEPTH = 32;

export function readTlv(buf: Buffer, pos: number, limit: number = buf.length, depth = 0): Tlv | undefined {
  if (depth > MAX_DEPTH || pos + 2 > limit) return undefined;
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) return undefined; // multi-byte tags never occur on this path
  const constructed = (tag & 0x20) !== 0;
  let p = pos + 1;
  const first = buf[p++];
  if (first === 0x80) {
    if (!constructed) return undefined;
    // Indefinite length: children until an end-of-contents marker.
    let q = p;
    while (q + 2 <= limit && !(buf[q] === 0 && buf[q + 1] === 0)) {
      const child = readTlv(buf, q, limit, depth + 1);
      if (!child) return undefined;
      q = child.next;
    }
    if (q + 2 > limit) return undefined;
    return { tag, constructed, start: p, end: q, next: q + 2 };
  }
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n < 1 || n > 4 || p + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  if (p + len > limit) return undefined;
  return { tag, constructed, start: p, end: p + len, next: p + len };
}

/** The children of a constructed value. */
export function children(buf: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = t.start;
  while (p < t.end) {
    const c = readTlv(buf, p, t.end);
    if (!c) break;
    out.push(c);
    p = c.next;
  }
  return out;
}
