import { children, type Tlv } from '../asn1.js';

/**
 * Just enough DER to find what node:crypto's X509Certificate does not hand
 * out: Apple's push extensions (environments, topics). Every read is
 * bounds-checked; malformed input yields undefined, never a throw.
 */

/** Encodes a dotted OID as DER content bytes (no tag, no length). */
export function oidBytes(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      stack.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...stack);
  }
  return Buffer.from(out);
}

const STRING_TAGS = new Set([0x0c, 0x13, 0x14, 0x16, 0x1a, 0x1e]);
/** BMPString (tag 0x1e) is UTF-16 big-endian with no BOM. */
const BMP = new TextDecoder('utf-16be', { ignoreBOM: true });

export function stringValue(buf: Buffer, t: Tlv): string | undefined {
  if (!STRING_TAGS.has(t.tag)) return undefined;
  const raw = buf.subarray(t.start, t.end);
  if (t.tag === 0x1e) return raw.length % 2 ? undefined : BMP.decode(raw);
  return raw.toString(t.tag === 0x0c ? 'utf8' : 'latin1');
}

/** Every SEQUENCE { OID, value… } in the tree whose OID is `oid`, depth-first, up to `max`. */
export function findByOid(buf: Buffer, root: Tlv, oid: Buffer, max = 16, depth = 0): Tlv[][] {
  if (depth > 12) return [];
  const out: Tlv[][] = [];
  const kids = children(buf, root);
  if (kids.length >= 2 && kids[0].tag === 0x06 && buf.subarray(kids[0].start, kids[0].end).equals(oid)) {
    out.push(kids.slice(1));
    return out;
  }
  for (const k of kids) {
    // Constructed values (bit 0x20), plus OCTET STRINGs that wrap DER (extension values).
    if (k.tag & 0x20) out.push(...findByOid(buf, k, oid, max - out.length, depth + 1));
    if (out.length >= max) break;
  }
  return out;
}

/** All strings anywhere under a node (for the topics extension). */
export function stringsUnder(buf: Buffer, root: Tlv, depth = 0, out: string[] = []): string[] {
  if (depth > 8 || out.length > 64) return out;
  for (const k of children(buf, root)) {
    const s = stringValue(buf, k);
    if (s !== undefined) out.push(s);
    else if (k.tag & 0x20) stringsUnder(buf, k, depth + 1, out);
  }
  return out;
}
