import { isDict, parsePlist } from '../plist/index.js';
import { isCmsSigned } from '../plist/sniff.js';
import { itemName, problemOf, type BufferReader } from '../types.js';
import { isProvisioningProfile, profileFacts } from './profile.js';

const NAMED = /\.(mobileprovision|provisionprofile)$/i;

/**
 * .mobileprovision / .provisionprofile: a CMS-signed XML plist. The shared
 * plist parser opens the envelope; this reads what push depends on.
 */
export const provisioningProfileReader: BufferReader = {
  id: 'apns.provisioning_profile',
  kind: 'buffer',
  // By name, or (a loose file saved as .txt or without extension) by its CMS envelope; a signed
  // .mobileconfig has the same envelope, so read() stays quiet when the content is not a profile.
  accepts: (name, head, item) => NAMED.test(name) || (!item.member && isCmsSigned(head)),
  read(data, item, ctx) {
    const parsed = parsePlist(data, { maxObjects: ctx.limits.maxPlistObjects });
    // Unnamed, it was taken for its envelope only: the plist readers report a damaged one.
    if (!NAMED.test(itemName(item)) && (!parsed.ok || !isDict(parsed.value) || !isProvisioningProfile(parsed.value))) return { facts: [], problems: [] };
    if (!parsed.ok) return { facts: [], problems: [problemOf(item, parsed.code, parsed.message)] };
    if (!isDict(parsed.value) || !isProvisioningProfile(parsed.value)) {
      return {
        facts: [],
        problems: [problemOf(item, 'provisioning.not_profile', 'is named like a provisioning profile but holds no Entitlements and ExpirationDate')],
      };
    }
    return { facts: profileFacts(parsed.value, item), problems: [] };
  },
};
