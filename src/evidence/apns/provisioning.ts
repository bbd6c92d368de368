import { isDict, parsePlist } from '../plist/index.js';
import { problemOf, type BufferReader } from '../types.js';
import { isProvisioningProfile, profileFacts } from './profile.js';

/**
 * .mobileprovision / .provisionprofile: a CMS-signed XML plist. The shared
 * plist parser opens the envelope; this reads what push depends on.
 */
export const provisioningProfileReader: BufferReader = {
  id: 'apns.provisioning_profile',
  kind: 'buffer',
  accepts: (name) => /\.(mobileprovision|provisionprofile)$/i.test(name),
  read(data, item, ctx) {
    const parsed = parsePlist(data, { maxObjects: ctx.limits.maxPlistObjects });
    if (!parsed.ok) return { facts: [], problems: [problemOf(item, parsed.code, parsed.message)] };
    if (!isDict(parsed.value) || !isProvisioningProfile(parsed.value))
      return { facts: [], problems: [problemOf(item, 'provisioning.not_profile', 'is named like a provisioning profile but holds no Entitlements and ExpirationDate')] };
    return { facts: profileFacts(parsed.value, item), problems: [] };
  },
};
