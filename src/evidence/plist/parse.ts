import { DEFAULT_LIMITS } from '../types.js';
import { parseBinaryPlist } from './binary.js';
import { cmsContent, embeddedXmlPlist } from './cms.js';
import { contentStart, isBinaryPlist, isCmsSigned } from './sniff.js';
import type { PlistValue } from './values.js';
import { parseXmlPlist, parseXmlPlistPrefix } from './xmlPlist.js';

export interface PlistParsed {
  ok: true;
  value: PlistValue;
  format: 'xml' | 'binary';
  /** The plist came out of a CMS (PKCS#7) signed envelope. */
  signed: boolean;
  /**
   * The XML text as it stands in the input, when line numbers in it are
   * line numbers of the input (plain XML files; not for signed envelopes).
   */
  text?: string;
}

export interface PlistProblem {
  ok: false;
  /** Stable code: plist.empty, plist.not_plist, plist.truncated, plist.malformed, plist.cycle, plist.too_many_objects… */
  code: string;
  /** Reads after the input's name: "is a binary plist whose …". */
  message: string;
}

export type PlistResult = PlistParsed | PlistProblem;

export interface PlistOptions {
  /** Objects (values) allowed in one plist; ctx.limits.maxPlistObjects. */
  maxObjects?: number;
  /**
   * Bytes of XML plist text parsed. The XML parser runs at about 2.5 MB/s on
   * the event loop (measured: 4 MB of `<dict/>` in 1.7 s), so this bounds how
   * long one input can stall the Slack bot; MDM plists and profiles are kilobytes.
   */
  maxXmlBytes?: number;
  /** Values in one XML plist (the smaller of this and maxObjects applies). */
  maxXmlObjects?: number;
}

const DEFAULT_MAX_XML_BYTES = 4 * 1024 * 1024;
/**
 * Values in one XML plist. Each costs a JS value (an empty dictionary about
 * 250 bytes), so 4 MB of `<dict/>` would hold 600,000 of them; MDM plists and
 * profiles hold hundreds. Binary plists keep ctx.limits.maxPlistObjects.
 */
const DEFAULT_MAX_XML_OBJECTS = 200_000;

const UTF16LE = new TextDecoder('utf-16le');
const UTF16BE = new TextDecoder('utf-16be');

/** The BOM says which; the decoder drops it (and a last odd byte is half a character, not text). */
function decodeText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return UTF16LE.decode(buf.subarray(0, buf.length & ~1));
  if (buf[0] === 0xfe && buf[1] === 0xff) return UTF16BE.decode(buf.subarray(0, buf.length & ~1));
  return buf.toString('utf8');
}

function parseBare(buf: Buffer, maxObjects: number, signed: boolean, maxXmlBytes: number, maxXmlObjects: number): PlistResult {
  const at = contentStart(buf);
  if (isBinaryPlist(buf.subarray(at, at + 8))) {
    const r = parseBinaryPlist(at ? buf.subarray(at) : buf, maxObjects);
    return r.ok ? { ok: true, value: r.value, format: 'binary', signed } : r;
  }
  if (buf.length > maxXmlBytes)
    return {
      ok: false,
      code: 'plist.too_large',
      message: `is ${buf.length} bytes of XML plist, over the ${maxXmlBytes}-byte limit for XML plists (MDM plists and profiles are kilobytes)`,
    };
  // UTF-16 XML starts with its own BOM; contentStart only skips UTF-8's.
  const text = decodeText(buf).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (!trimmed) return { ok: false, code: 'plist.empty', message: 'is empty' };
  if (!trimmed.startsWith('<')) return { ok: false, code: 'plist.not_plist', message: 'is not a property list (neither XML nor bplist00)' };
  // The XML declaration must come first for the XML parser; what was before it holds no data.
  const r = parseXmlPlist(trimmed, Math.min(maxObjects, maxXmlObjects));
  if (!r.ok) return r;
  // Key offsets are searched in the untrimmed text, so line numbers stay those of the input.
  return { ok: true, value: r.value, format: 'xml', signed, ...(!signed ? { text } : {}) };
}

/**
 * Parses a property list: XML (with or without a UTF-8 BOM or leading
 * whitespace, UTF-16 too), binary `bplist00`, or either one inside a CMS
 * signed envelope (signed .mobileconfig, .mobileprovision). Never throws:
 * bad input comes back as a problem whose message reads after the input's
 * name ("… is a binary plist whose objects refer to themselves in a cycle").
 */
export function parsePlist(buf: Buffer, opts: PlistOptions = {}): PlistResult {
  const maxObjects = opts.maxObjects ?? DEFAULT_LIMITS.maxPlistObjects;
  const maxXml = opts.maxXmlBytes ?? DEFAULT_MAX_XML_BYTES;
  const maxXmlObjects = opts.maxXmlObjects ?? DEFAULT_MAX_XML_OBJECTS;
  try {
    if (!buf.length) return { ok: false, code: 'plist.empty', message: 'is empty' };
    if (isCmsSigned(buf)) {
      const content = cmsContent(buf);
      if (content) {
        const r = parseBare(content, maxObjects, true, maxXml, maxXmlObjects);
        if (r.ok || r.code !== 'plist.not_plist') return r;
      }
      const xml = embeddedXmlPlist(buf);
      if (xml) return parseBare(xml, maxObjects, true, maxXml, maxXmlObjects);
      return {
        ok: false,
        code: 'plist.cms_no_content',
        message: 'is a CMS signed envelope without a property list inside (detached signature, or not a profile)',
      };
    }
    return parseBare(buf, maxObjects, false, maxXml, maxXmlObjects);
  } catch (e) {
    // Defence in depth: the parsers above catch their own errors.
    return { ok: false, code: 'plist.malformed', message: `could not be read as a property list: ${(e as Error).message}` };
  }
}

/**
 * What an XML plist cut off part way still holds (parsePlist said plist.truncated): its whole values before the
 * cut, the line of the last one, and the text for line numbers. Plain XML only (not signed, not binary).
 */
export function parseTruncatedXmlPlist(buf: Buffer, opts: PlistOptions = {}): { value: PlistValue; lastLine: number; text: string } | undefined {
  const maxObjects = Math.min(opts.maxObjects ?? DEFAULT_LIMITS.maxPlistObjects, opts.maxXmlObjects ?? DEFAULT_MAX_XML_OBJECTS);
  if (buf.length > (opts.maxXmlBytes ?? DEFAULT_MAX_XML_BYTES) || isCmsSigned(buf) || isBinaryPlist(buf.subarray(contentStart(buf), contentStart(buf) + 8)))
    return undefined;
  const text = decodeText(buf).replace(/^\uFEFF/, '');
  const start = text.length - text.trimStart().length;
  const r = parseXmlPlistPrefix(text.slice(start), maxObjects);
  if (!r) return undefined;
  // Lines are counted in the trimmed text: add back the lines the leading whitespace held.
  return { value: r.value, lastLine: r.lastLine + (text.slice(0, start).split('\n').length - 1), text };
}
