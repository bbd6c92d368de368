import type { Fact } from './schema.js';

/**
 * Push details a check-in or a server log gave for one device. Once the case's device is known, another
 * device's are not the case's: the server pushes that device with its own PushMagic, token and topic.
 */
const PER_DEVICE: ReadonlySet<string> = new Set([
  'server.push_magic',
  'server.push_token',
  'server.push_token_sha256',
  'server.enrolled_topic',
  'mdm.checkin.token_update',
  // What APNs answered a push to one device (410 Unregistered…) says nothing of another's token.
  'mdm.apns_response',
]);

/**
 * The facts that rules and notes read for the case: every fact, less the push details another device's
 * check-in or log gave, once the case names its device. A value that names no device stays.
 */
export function caseOwnFacts<F extends Fact>(facts: readonly F[]): readonly F[] {
  const subjects = facts.filter((f) => f.name === 'case.device');
  if (subjects.length !== 1) return facts;
  const s = subjects[0];
  const ids = new Set([String(s.value), ...Object.values(s.attrs ?? {})].map((v) => v.trim().toUpperCase()).filter(Boolean));
  return facts.filter((f) => !PER_DEVICE.has(f.name) || isDevicesOwn(f, ids));
}

/** Whether a push detail belongs to the device known by `ids` (upper case): it names that device, or none. */
export function isDevicesOwn(f: Fact, ids: ReadonlySet<string>): boolean {
  const udid = f.attrs?.udid?.trim().toUpperCase();
  return !udid || ids.has(udid);
}
