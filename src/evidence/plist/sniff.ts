/** Cheap checks on the first bytes of an input: is it (or does it wrap) a property list? */

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** DER of the OID 1.2.840.113549.1.7.2 (PKCS#7 / CMS signedData). */
const SIGNED_DATA_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);

/** Offset of the first byte after a UTF-8 BOM and leading whitespace. */
export function contentStart(buf: Buffer): number {
  let i = buf.subarray(0, 3).equals(BOM) ? 3 : 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return i;
}

export function isBinaryPlist(head: Buffer): boolean {
  const i = contentStart(head);
  return head.subarray(i, i + 8).toString('latin1') === 'bplist00';
}

/** An XML property list (its prologue, DOCTYPE or root element is in the head). */
function isXmlPlist(head: Buffer): boolean {
  const i = contentStart(head);
  const text = head.subarray(i).toString('utf8');
  if (text.startsWith('<plist')) return true;
  if (text.startsWith('<?xml') || text.startsWith('<!DOCTYPE')) return /<plist[\s>]|PropertyList-1\.0|DOCTYPE plist/.test(text);
  return false;
}

/** A DER/BER CMS SignedData envelope (signed .mobileconfig, .mobileprovision). */
export function isCmsSigned(head: Buffer): boolean {
  return head[0] === 0x30 && head.subarray(0, 64).includes(SIGNED_DATA_OID);
}

export function looksLikePlist(head: Buffer): boolean {
  return isBinaryPlist(head) || isXmlPlist(head) || isCmsSigned(head);
}
