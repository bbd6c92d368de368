import { keyLines, looksLikePlist, NO_LINES, parsePlist } from '../plist/index.js';
import type { BufferReader } from '../types.js';
import { Collector } from './emit.js';
import { isMdmName } from './names.js';
import { readMdmPlist } from './route.js';

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
    if (!looksLikePlist(head)) return false;
    // A sysdiagnose holds hundreds of unrelated plists: inside an archive, only
    // MCState's, or ones whose first bytes already show MDM keys, are worth buffering.
    if (item.member) return /(^|\/)MCState\//.test(item.member) || MDM_HEAD_KEYS.test(head.toString('latin1'));
    return true;
  },
  read(data, item, ctx) {
    const path = item.member ?? item.input;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const parsed = parsePlist(data, { maxObjects: ctx.limits.maxPlistObjects });
    const out = new Collector({ item, lines: NO_LINES });
    if (!parsed.ok) {
      out.problem(parsed.code, parsed.message);
      return out.result();
    }
    const reader = new Collector({ item, lines: keyLines(parsed.text), signed: parsed.signed });
    const shape = readMdmPlist(parsed.value, path, reader);
    if (!shape && isMdmName(name))
      reader.problem('mdm.plist.unrecognised', 'is a property list but holds none of the keys of an MDM.plist, a profile, a check-in or a command result');
    return reader.result();
  },
};
