import type { Fact } from '../schema.js';
import { aboutCaseDevice } from './caseDevices.js';
import type { Deriver } from './types.js';

/** Evidence that the MDM server holds a device's push details (its stored TokenUpdate). */
const HELD: { name: string; holds: (f: Fact) => boolean }[] = [
  { name: 'mdm.checkin.token_update', holds: () => true },
  { name: 'server.push_token', holds: () => true },
  { name: 'server.push_magic', holds: () => true },
  { name: 'server.push_status', holds: () => true },
  { name: 'mdm.apns_response', holds: () => true },
  { name: 'server.push_answered', holds: (f) => f.value === true },
  // A push reached the device: the server had its token to push to.
  { name: 'device.mdm_push_arrived', holds: () => true },
];

/**
 * Whether the MDM server holds push details for the device: it stored a
 * TokenUpdate, someone gave its token or PushMagic, or APNs answered one of
 * its pushes (it had something to push to). One derived fact, so that ruling
 * out "no push info" neither repeats every push as evidence nor makes the
 * questions that set these facts look more useful than they are.
 */
const pushInfoHeld: Deriver = (index) => {
  // Another device's TokenUpdate or APNs answer says nothing about this device's push details.
  const mine = aboutCaseDevice(index);
  const from = HELD.filter((h) => (index.get(h.name) ?? []).some((f) => h.holds(f) && mine(f))).map((h) => h.name);
  if (!from.length) return [];
  return [
    {
      name: 'server.push_info_held',
      value: true,
      source: { kind: 'derived', how: `the MDM server holds the device's push details (${from.join(', ')})`, from },
    },
  ];
};

/** Evidence that the MDM server got through to APNs. */
const REACHED: { name: string; holds: (f: Fact) => boolean }[] = [
  { name: 'mdm.apns_response', holds: () => true },
  { name: 'server.push_status', holds: () => true },
  { name: 'mdm.apns_tls_error', holds: () => true },
  { name: 'server.push_answered', holds: (f) => f.value === true },
  { name: 'device.mdm_push_arrived', holds: () => true },
];

/** Whether the MDM server reached APNs at all; one derived fact for the same reasons as above. */
const reachedApns: Deriver = (index) => {
  const from = REACHED.filter((h) => (index.get(h.name) ?? []).some(h.holds)).map((h) => h.name);
  if (!from.length) return [];
  return [{ name: 'server.reached_apns', value: true, source: { kind: 'derived', how: `the MDM server reached APNs (${from.join(', ')})`, from } }];
};

export const pushInfoDerivers: Deriver[] = [pushInfoHeld, reachedApns];
