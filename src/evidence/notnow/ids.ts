import { maskedIdOf } from '../../facts/maskedId.js';
import { isShortDeviceId } from '../../facts/normalize.js';

/** Who a server log line is about, and on which channel. */
export interface Enrollment {
  /** The whole enrollment id as the server logs it (NanoMDM: "<udid>" or "<udid>:<user id>"). */
  id: string;
  /** The device part: UDID (or a User Enrollment's EnrollmentID). */
  udid: string;
  channel: 'device' | 'user';
  /** The user part, for user-channel enrollments. */
  user?: string;
  /** The log key the id came from (udid, enrollmentid, id…), when read off a line. */
  idKey?: string;
}

/** NanoMDM's enrollment types (mdm/type.go); the others are user channels. */
const DEVICE_TYPES = new Set(['device', 'user enrollment (device)']);
const USER_TYPES = new Set(['user', 'user enrollment', 'shared ipad']);
export const ENROLLMENT_TYPES = new Set([...DEVICE_TYPES, ...USER_TYPES]);

const ID_KEYS = ['udid', 'deviceudid', 'enrollmentid', 'id', 'idfirst', 'deviceid', 'hostuuid'];
const PLAUSIBLE_ID = /^[A-Za-z0-9][A-Za-z0-9:._@-]{7,199}$/;

export function isPlausibleId(v: string): boolean {
  // "id=5" or "id=true" in some unrelated line is not a device.
  return PLAUSIBLE_ID.test(v) && /[A-Za-z-]/.test(v) && /\d/.test(v);
}

/** Under the server's own device id key (`device_id=A1`), a short id names a device too: the key says what it is. */
export function isServerDeviceId(key: string, v: string): boolean {
  return isPlausibleId(v) || (key === 'deviceid' && isShortDeviceId(v));
}

export function splitEnrollmentId(raw: string, typeHint?: string, userHint?: string): Enrollment {
  const id = raw.trim();
  const colon = id.indexOf(':');
  const udid = colon > 0 ? id.slice(0, colon) : id;
  const userFromId = colon > 0 ? id.slice(colon + 1) : undefined;
  const type = typeHint?.toLowerCase();
  const user = userFromId || userHint || undefined;
  const channel: Enrollment['channel'] = user || (type && USER_TYPES.has(type)) ? 'user' : 'device';
  // Each channel is its own enrollment with its own connections.
  const key = user && !userFromId ? `${id}:${user}` : id;
  return { id: key, udid, channel, ...(user ? { user } : {}) };
}

/** The enrollment a parsed line names, if any. */
export function enrollmentOf(fields: Map<string, string>): Enrollment | undefined {
  for (const k of ID_KEYS) {
    const v = fields.get(k);
    // A device id the log masked in its middle is kept as such (`00008110-…801E`): some device, matched by its ends.
    const masked = v ? maskedIdOf(v) : undefined;
    if (masked) return { id: masked, udid: masked, channel: 'device', idKey: k };
    if (v && isServerDeviceId(k, v)) {
      // MicroMDM keys user-channel queues by the user's GUID and logs udid separately; prefer udid + userid.
      const user = fields.get('userid') || fields.get('enrollmentuserid');
      // Marked on the object made, not spread into a copy: a copy per status line of a busy log was kept
      // in old space by V8 (its allocation site judged long-lived), costing tens of MB between collections.
      const e = splitEnrollmentId(v, fields.get('type') ?? fields.get('enrollmenttype'), user && isPlausibleId(user) ? user : undefined);
      e.idKey = k;
      return e;
    }
  }
  return undefined;
}
