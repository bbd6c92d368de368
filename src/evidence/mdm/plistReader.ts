import { isDict, keyLines, looksLikePlist, NO_LINES, parsePlist, parseTruncatedXmlPlist } from '../plist/index.js';
import type { BufferReader } from '../types.js';
import { Collector } from './emit.js';
import { isMdmName } from './names.js';
import { readMdmPlist } from './route.js';
import { isMdmState } from './shapes/state.js';

/**
 * A pasted plist under the command that printed it (`$ plutil -convert xml1 -o - …/MDM.plist`): the plist and
 * the number of lines above it, so that line numbers stay the paste's. Undefined for anything else.
 */
export function pastedUnderCommand(data: Buffer): { data: Buffer; base: number } | undefined {
  const head = data.subarray(0, 2048).toString('utf8');
  const m = /^[ \t]*(?:<\?xml|<!DOCTYPE plist|<plist)/m.exec(head);
  if (!m || m.index === 0) return undefined;
  const above = head.slice(0, m.index).split('\n').slice(0, -1);
  if (!above.every((l) => !l.trim() || /^\s*[$%#>]|\bplutil\b|PlistBuddy/.test(l))) return undefined;
  return { data: data.subarray(Buffer.byteLength(head.slice(0, m.index))), base: above.length };
}

const MDM_HEAD_KEYS = /<key>(MessageType|CommandUUID|PushMagic|LastPushTokenHash)<\/key>|com\.apple\.mdm/;

/**
 * Every whole plist that may be MDM evidence: MDM.plist, profile stubs,
 * .mobileconfig (plain or signed), check-ins and command results, by name
 * or by content. Plists that turn out to be something else (an app's
 * Info.plist, a provisioning profile) are left to other readers silently.
 */
export const mdmPlistReader: BufferReader = {
  id: 'mdm.plist',
  kind: 'buffer',
  accepts(name, head, item) {
    if (isMdmName(name)) return true;
    // Pasted, or saved to a file as printed (a .txt of `plutil -convert xml1 -o - MDM.plist`); archive members are whole files.
    if (!item.member && pastedUnderCommand(head)) return true;
    if (!looksLikePlist(head)) return false;
    // A sysdiagnose holds hundreds of unrelated plists: inside an archive, only
    // MCState's, or ones whose first bytes already show MDM keys, are worth buffering.
    if (item.member) return /(^|\/)MCState\//.test(item.member) || MDM_HEAD_KEYS.test(head.toString('latin1'));
    return true;
  },
  read(whole, item, ctx) {
    const under = !item.member && !looksLikePlist(whole.subarray(0, 512)) ? pastedUnderCommand(whole) : undefined;
    const data = under?.data ?? whole;
    const base = under?.base ?? 0;
    const path = item.member ?? item.input;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const parsed = parsePlist(data, { maxObjects: ctx.limits.maxPlistObjects });
    const out = new Collector({ item, lines: NO_LINES });
    if (!parsed.ok) {
      // MDM.plist cut off part way (a `plutil -convert xml1 -o -` paste that stopped short): its values before
      // the cut are whole and still the device's. Only MDM.plist: a profile or check-in cut short would read
      // as one that lacks what was cut (a profile "without a Topic").
      const cut = parsed.code === 'plist.truncated' ? parseTruncatedXmlPlist(data, { maxObjects: ctx.limits.maxPlistObjects }) : undefined;
      if (cut && isDict(cut.value) && isMdmState(cut.value)) {
        const partial = new Collector({ item, lines: keyLines(cut.text, base) });
        readMdmPlist(cut.value, path, partial);
        partial.problem(
          'plist.truncated',
          `is MDM.plist cut off after line ${cut.lastLine + base}: the values that end before the cut were read; whatever came after it is missing (paste or attach the whole file)`,
        );
        return partial.result();
      }
      out.problem(parsed.code, parsed.message);
      return out.result();
    }
    const reader = new Collector({ item, lines: keyLines(parsed.text, base), signed: parsed.signed });
    const shape = readMdmPlist(parsed.value, path, reader);
    if (!shape && isMdmName(name))
      reader.problem('mdm.plist.unrecognised', 'is a property list but holds none of the keys of an MDM.plist, a profile, a check-in or a command result');
    return reader.result();
  },
};
