import type { Fact } from '../schema.js';
import { coversEveryDevice } from '../caseOwn.js';
import { aboutCaseDevice } from './caseDevices.js';
import { idsOf } from './deviceEvents.js';
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
  // Several devices and none named yet: one device's stored TokenUpdate says nothing of the case's device. What
  // names no device (a pasted token or PushMagic) still counts; a device's own evidence counts only when every
  // device of the case has some.
  const unresolved = index.get('case.device')?.length ? undefined : index.get('case.device_unresolved')?.find((f) => f.attrs?.by !== 'token');
  let oneOfSeveral = (_f: Fact) => true;
  if (unresolved) {
    const heldFor = new Set<string>();
    for (const h of HELD) for (const f of index.get(h.name) ?? []) if (h.holds(f)) for (const id of idsOf(f)) heldFor.add(id);
    if (!coversEveryDevice(String(unresolved.value))(heldFor)) oneOfSeveral = (f) => !idsOf(f).length;
  }
  // Another device's TokenUpdate or APNs answer says nothing about this device's push details.
  const mine = aboutCaseDevice(index);
  const held = (f: Fact) => mine(f) && oneOfSeveral(f);
  const from = HELD.filter((h) => (index.get(h.name) ?? []).some((f) => h.holds(f) && held(f))).map((h) => h.name);
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
