import type { SourceRef } from '../../engine/ruleSchema.js';

/**
 * The documents rules cite, by the title a support engineer would search
 * for. Rules cite them by file name (the seed files' names are hashes), so
 * a reader would otherwise see "000_1e36ff1c9c5c99cd.txt".
 */
const TITLES: { match: RegExp; title: string }[] = [
  { match: /^000_[0-9a-f]{16}\.txt$/, title: 'Apple DTS: MDM push returns 200 OK but the device does not check in' },
  { match: /^001_[0-9a-f]{16}\.txt$/, title: 'Apple TN2265: Troubleshooting Push Notifications' },
  { match: /^002_[0-9a-f]{16}\.txt$/, title: 'Apple: Handling NotNow command statuses' },
  { match: /^003_[0-9a-f]{16}\.txt$/, title: 'Citrix CTX222834: Troubleshooting Secure Mail push notifications on iOS' },
  { match: /(^|\/)apns-mdm\.md$/, title: 'pushcheck field notes on APNs and MDM (public issue reports)' },
];

/** A cited document by its title; an unknown one by its file name without the folder. */
export function documentTitle(document: string): string {
  // "shared/knowledge/apns-mdm.md (fleet #28363)": the file, then what in it.
  const m = /^(\S+)(?:\s+\((.*)\))?$/.exec(document.trim());
  const name = m?.[1] ?? document.trim();
  const extra = m?.[2] ? ` (${m[2]})` : '';
  const known = TITLES.find((t) => t.match.test(name));
  if (known) return `${known.title}${extra}`;
  // A seed-style name we have no title for: say what it is rather than show the hash.
  if (/^\d{3}_[0-9a-f]{16}\.txt$/.test(name)) return `a pushcheck source document${extra}`;
  // Links stay whole (a reader can open them); other paths lose their folders.
  if (/^https?:\/\//.test(name)) return document.trim();
  return document.trim().replace(/^[^ ]*\//, '');
}

/** A document's file name where a citation's section or note mentions it ("as collected in shared/knowledge/apns-mdm.md, section b"). */
const NAMED_IN_TEXT = /(?:(?:\.\.\/)?shared\/(?:seeds|knowledge)\/)?\b(?:\d{3}_[0-9a-f]{16}\.txt|apns-mdm\.md)\b/g;

/** A citation's own words with every document it names by file name named by its title instead. */
function documentsInWords(text: string): string {
  return text.replace(NAMED_IN_TEXT, (name) => documentTitle(name));
}

/** "Apple DTS: … — Possible causes: wrong push magic (note)". */
export function sourceWords(source: SourceRef): string {
  return documentsInWords(`${documentTitle(source.document)} — ${source.section}${source.note ? ` (${source.note})` : ''}`);
}
