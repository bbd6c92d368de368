import type { Fact, Problem } from '../../facts/schema.js';
import { isDict, parsePlist, type PlistDict, type PlistValue } from '../plist/index.js';
import { problemOf, sourceOf, type Item, type LineReader, type LineSink, type ReadResult } from '../types.js';
import { APS_KEYS, entitlementFacts, isProvisioningProfile, profileFacts } from './profile.js';
import { isPushText } from './textInput.js';

/** Keys that make a dictionary an entitlements dictionary (rather than any other plist). */
const ENTITLEMENT_HINTS = [
  ...APS_KEYS,
  'application-identifier',
  'com.apple.application-identifier',
  'com.apple.developer.team-identifier',
  'keychain-access-groups',
  'get-task-allow',
  'com.apple.security.app-sandbox',
  'com.apple.security.get-task-allow',
];

const MAX_PLIST_CHARS = 4 * 1024 * 1024;

function isEntitlements(d: PlistDict): boolean {
  return ENTITLEMENT_HINTS.some((k) => k in d);
}

/**
 * `codesign -d --entitlements - App.app` output in both forms it has had:
 * an XML plist (older macOS, often behind a few binary bytes), and the
 * `[Dict] [Key] … [Value] [String] …` listing newer macOS prints. Also
 * .entitlements files and a decoded provisioning profile pasted as XML.
 */
export const entitlementsReader: LineReader = {
  id: 'apns.entitlements',
  kind: 'lines',
  accepts: isPushText,
  open: (item: Item) => new EntitlementsScan(item),
};

/** A [Dict] listing being read: its top-level keys only. */
interface Listing {
  dict: PlistDict;
  key?: string;
  keyIndent?: number;
  line: number;
}

/** An XML plist region being collected, from the line of its `<?xml` or `<plist>`. */
interface XmlRegion {
  lines: string[];
  size: number;
  line: number;
}

const LISTING_LINE = /^(\s*)\[(Key|Value|String|Bool|Number|Integer|Array|Dict|Data|Date)\]\s*(.*)$/;
const ABOUT_SIGNING = /aps-environment|application-identifier/;

class EntitlementsScan implements LineSink {
  private readonly facts: Fact[] = [];
  private readonly problems: Problem[] = [];
  /** codesign's "Executable=" header was seen: what follows is its output. */
  private codesign = false;
  private xml: XmlRegion | undefined;
  private listing: Listing | undefined;

  constructor(private readonly item: Item) {}

  line(text: string, n: number): void {
    if (this.listing) {
      if (this.listingLine(text, this.listing)) return;
      if (text.trim() === '') return;
      this.finishListing();
    }
    if (this.xml) return this.xmlLine(text, this.xml);
    if (/^Executable=/.test(text)) {
      this.codesign = true;
      return;
    }
    const ident = text.match(/^Identifier=(\S+)$/);
    if (ident && this.codesign) {
      this.facts.push({ name: 'app.bundle_id', value: ident[1], source: sourceOf(this.item, n), attrs: { from: 'codesign' } });
      return;
    }
    if (/^\s*\[Dict\]\s*$/.test(text)) {
      this.listing = { dict: Object.create(null) as PlistDict, line: n };
      return;
    }
    const at = text.search(/<\?xml|<plist[\s>]/);
    if (at >= 0) {
      this.xml = { lines: [text.slice(at)], size: text.length, line: n };
      if (text.includes('</plist>')) this.finishXml();
    }
  }

  end(): ReadResult {
    this.finishListing();
    if (this.xml) {
      if (this.xml.lines.some((l) => ABOUT_SIGNING.test(l)))
        this.problems.push(problemOf(this.item, 'entitlements.truncated', `has an entitlements plist at line ${this.xml.line} that never ends (no </plist>)`));
      this.xml = undefined;
    }
    return { facts: this.facts, problems: this.problems };
  }

  /** One line of the [Dict] listing; false when the listing has ended. */
  private listingLine(text: string, listing: Listing): boolean {
    const m = text.match(LISTING_LINE);
    if (!m) return false;
    const [, indent, tag, rest] = m;
    if (tag === 'Key') {
      listing.keyIndent ??= indent.length;
      listing.key = indent.length === listing.keyIndent ? rest.trim() : undefined;
      return true;
    }
    if (tag === 'Value' || !listing.key) return true;
    const v: PlistValue = tag === 'Bool' ? rest.trim() === 'true' : tag === 'String' ? rest.trim() : tag === 'Array' || tag === 'Dict' ? [] : rest.trim();
    listing.dict[listing.key] = v;
    listing.key = undefined;
    return true;
  }

  private finishListing(): void {
    if (!this.listing) return;
    const { dict, line } = this.listing;
    this.listing = undefined;
    if (isEntitlements(dict)) this.facts.push(...entitlementFacts(dict, 'app', this.item, { from: 'codesign' }, line));
  }

  private xmlLine(text: string, xml: XmlRegion): void {
    xml.size += text.length;
    if (xml.size > MAX_PLIST_CHARS) {
      this.problems.push(problemOf(this.item, 'entitlements.too_large', `has a plist from line ${xml.line} that is too long to be entitlements; skipped`));
      this.xml = undefined;
      return;
    }
    xml.lines.push(text);
    if (text.includes('</plist>')) this.finishXml();
  }

  private finishXml(): void {
    if (!this.xml) return;
    const { lines, line } = this.xml;
    this.xml = undefined;
    const text = lines.join('\n');
    const item = this.item;
    const parsed = parsePlist(Buffer.from(text, 'utf8'));
    if (!parsed.ok) {
      // Only complain when the plist was evidently about signing; other plists belong to other readers.
      if (ABOUT_SIGNING.test(text)) this.problems.push(problemOf(item, parsed.code, `has an entitlements plist at line ${line} that ${parsed.message}`));
      return;
    }
    if (!isDict(parsed.value)) return;
    if (isProvisioningProfile(parsed.value)) this.facts.push(...profileFacts(parsed.value, item).map((f) => ({ ...f, source: sourceOf(item, line) })));
    else if (isEntitlements(parsed.value))
      this.facts.push(...entitlementFacts(parsed.value, 'app', item, { from: this.codesign ? 'codesign' : 'entitlements' }, line));
  }
}
