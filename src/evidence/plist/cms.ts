/**
 * Minimal BER/DER reading of a CMS (PKCS#7) SignedData envelope, just far
 * enough to reach the signed content: ContentInfo → SignedData →
 * encapContentInfo → eContent (an OCTET STRING, possibly split in chunks).
 * The signature itself is not verified: pushcheck only needs the payload.
 */

interface Tlv {
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

function readTlv(buf: Buffer, pos: number, limit: number, depth = 0): Tlv | null {
  if (depth > MAX_DEPTH || pos + 2 > limit) return null;
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) return null; // multi-byte tags never occur on this path
  const constructed = (tag & 0x20) !== 0;
  let p = pos + 1;
  const first = buf[p++];
  if (first === 0x80) {
    if (!constructed) return null;
    // Indefinite length: children until an end-of-contents marker.
    let q = p;
    while (q + 2 <= limit && !(buf[q] === 0 && buf[q + 1] === 0)) {
      const child = readTlv(buf, q, limit, depth + 1);
      if (!child) return null;
      q = child.next;
    }
    if (q + 2 > limit) return null;
    return { tag, constructed, start: p, end: q, next: q + 2 };
  }
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n < 1 || n > 4 || p + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  if (p + len > limit) return null;
  return { tag, constructed, start: p, end: p + len, next: p + len };
}

function childrenOf(buf: Buffer, t: Tlv): Tlv[] {
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

/** The signed content of a CMS SignedData buffer, or null if it is not one we can walk. */
export function cmsContent(buf: Buffer): Buffer | null {
  const ci = readTlv(buf, 0, buf.length);
  if (!ci || ci.tag !== 0x30) return null;
  const [oid, explicit] = childrenOf(buf, ci);
  if (!oid || oid.tag !== 0x06 || !explicit || explicit.tag !== 0xa0) return null;
  const [sd] = childrenOf(buf, explicit);
  if (!sd || sd.tag !== 0x30) return null;
  const eci = childrenOf(buf, sd).find((c, i) => i >= 2 && c.tag === 0x30);
  if (!eci) return null;
  const [, wrapped] = childrenOf(buf, eci);
  if (!wrapped || wrapped.tag !== 0xa0) return null; // detached signature: no content
  const [octets] = childrenOf(buf, wrapped);
  if (!octets) return null;
  if (octets.tag === 0x04) return buf.subarray(octets.start, octets.end);
  if (octets.tag === 0x24) {
    const parts = childrenOf(buf, octets).filter((c) => c.tag === 0x04);
    return Buffer.concat(parts.map((c) => buf.subarray(c.start, c.end)));
  }
  return null;
}

/** Fallback when the envelope cannot be walked: the XML plist text sitting inside the bytes. */
export function embeddedXmlPlist(buf: Buffer): Buffer | null {
  let start = buf.indexOf('<?xml');
  if (start < 0) start = buf.indexOf('<plist');
  if (start < 0) return null;
  const end = buf.lastIndexOf('</plist>');
  if (end < start) return null;
  return buf.subarray(start, end + '</plist>'.length);
}
