import type { Fact, Problem } from '../../facts/schema.js';
import { isDict, parsePlist, type PlistDict, type PlistValue } from '../plist/index.js';
import { problemOf, sourceOf, type Item, type LineReader } from '../types.js';
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
  open(item: Item) {
    const facts: Fact[] = [];
    const problems: Problem[] = [];
    const codesign = { seen: false, identifier: undefined as string | undefined, line: 0 };

    // XML plist region.
    let xml: string[] | undefined;
    let xmlSize = 0;
    let xmlLine = 0;

    // [Dict] listing: top-level keys only.
    let listing: { dict: PlistDict; key?: string; keyIndent?: number; line: number } | undefined;

    const finishXml = () => {
      if (!xml) return;
      const text = xml.join('\n');
      xml = undefined;
      const parsed = parsePlist(Buffer.from(text, 'utf8'));
      if (!parsed.ok) {
        // Only complain when the plist was evidently about signing; other plists belong to other readers.
        if (/aps-environment|application-identifier/.test(text)) problems.push(problemOf(item, parsed.code, `has an entitlements plist at line ${xmlLine} that ${parsed.message}`));
        return;
      }
      if (!isDict(parsed.value)) return;
      if (isProvisioningProfile(parsed.value)) facts.push(...profileFacts(parsed.value, item).map((f) => ({ ...f, source: sourceOf(item, xmlLine) })));
      else if (isEntitlements(parsed.value)) facts.push(...entitlementFacts(parsed.value, 'app', item, { from: codesign.seen ? 'codesign' : 'entitlements' }, xmlLine));
    };

    const finishListing = () => {
      if (!listing) return;
      const { dict, line } = listing;
      listing = undefined;
      if (isEntitlements(dict)) facts.push(...entitlementFacts(dict, 'app', item, { from: 'codesign' }, line));
    };

    const listingLine = (text: string): boolean => {
      if (!listing) return false;
      const m = text.match(/^(\s*)\[(Key|Value|String|Bool|Number|Integer|Array|Dict|Data|Date)\]\s*(.*)$/);
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
    };

    return {
      line(text, n) {
        if (listing) {
          if (listingLine(text)) return;
          if (text.trim() === '') return;
          finishListing();
        }
        if (xml) {
          xmlSize += text.length;
          if (xmlSize > MAX_PLIST_CHARS) {
            problems.push(problemOf(item, 'entitlements.too_large', `has a plist from line ${xmlLine} that is too long to be entitlements; skipped`));
            xml = undefined;
            return;
          }
          xml.push(text);
          if (text.includes('</plist>')) finishXml();
          return;
        }
        if (/^Executable=/.test(text)) {
          codesign.seen = true;
          return;
        }
        const ident = text.match(/^Identifier=(\S+)$/);
        if (ident && codesign.seen) {
          facts.push({ name: 'app.bundle_id', value: ident[1], source: sourceOf(item, n), attrs: { from: 'codesign' } });
          return;
        }
        if (/^\s*\[Dict\]\s*$/.test(text)) {
          listing = { dict: Object.create(null) as PlistDict, line: n };
          return;
        }
        const at = text.search(/<\?xml|<plist[\s>]/);
        if (at >= 0) {
          xml = [text.slice(at)];
          xmlSize = text.length;
          xmlLine = n;
          if (text.includes('</plist>')) finishXml();
        }
      },
      end() {
        finishListing();
        if (xml) {
          if (xml.some((l) => /aps-environment|application-identifier/.test(l)))
            problems.push(problemOf(item, 'entitlements.truncated', `has an entitlements plist at line ${xmlLine} that never ends (no </plist>)`));
          xml = undefined;
        }
        return { facts, problems };
      },
    };
  },
};
