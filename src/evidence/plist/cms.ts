import { children, readTlv } from '../asn1.js';

/**
 * Minimal BER/DER reading of a CMS (PKCS#7) SignedData envelope, just far
 * enough to reach the signed content: ContentInfo → SignedData →
 * encapContentInfo → eContent (an OCTET STRING, possibly split in chunks).
 * The signature itself is not verified: pushcheck only needs the payload.
 */

/** The signed content of a CMS SignedData buffer, or null if it is not one we can walk. */
export function cmsContent(buf: Buffer): Buffer | null {
  const ci = readTlv(buf, 0, buf.length);
  if (ci?.tag !== 0x30) return null;
  const [oid, explicit] = children(buf, ci);
  if (oid?.tag !== 0x06 || !explicit || explicit.tag !== 0xa0) return null;
  const [sd] = children(buf, explicit);
  if (sd?.tag !== 0x30) return null;
  const eci = children(buf, sd).find((c, i) => i >= 2 && c.tag === 0x30);
  if (!eci) return null;
  const [, wrapped] = children(buf, eci);
  if (wrapped?.tag !== 0xa0) return null; // detached signature: no content
  const [octets] = children(buf, wrapped);
  if (!octets) return null;
  if (octets.tag === 0x04) return buf.subarray(octets.start, octets.end);
  if (octets.tag === 0x24) {
    const parts = children(buf, octets).filter((c) => c.tag === 0x04);
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
