import { bool, bytes, isoDate, str, type PlistDict } from '../../plist/index.js';
import type { Collector } from '../emit.js';

/** MDM.plist: the device's record of its MDM enrollment (mdmd writes it, binary). */
export function isMdmState(d: PlistDict): boolean {
  if (d.MessageType !== undefined || d.PayloadContent !== undefined || d.PayloadType !== undefined) return false;
  return d.PushMagic !== undefined || d.LastPushTokenHash !== undefined || (d.ServerURL !== undefined && d.AccessRights !== undefined);
}

export function readMdmState(d: PlistDict, out: Collector): void {
  const magic = str(d.PushMagic);
  if (magic) out.value('device.push_magic', 'magic', magic, { key: 'PushMagic' });

  if (d.LastPushTokenHash !== undefined) {
    const hash = bytes(d.LastPushTokenHash);
    if (!hash) out.problem('mdm.token_hash.unreadable', 'has a LastPushTokenHash that is not data (expected the 32-byte SHA-256 of the push token)');
    else if (hash.length !== 32) {
      out.problem(
        'mdm.token_hash.length',
        `has a LastPushTokenHash of ${hash.length} bytes; a SHA-256 is 32 bytes, so it cannot be compared with the server's token`,
      );
      out.garbled('device.push_token_hash', 'token_hash', hash, `is ${hash.length} bytes; a SHA-256 is 32`, 'LastPushTokenHash');
    } else out.fact('device.push_token_hash', hash.toString('hex'), { key: 'LastPushTokenHash' });
  }

  const topic = str(d.Topic);
  if (topic) out.value('device.topic', 'topic', topic, { key: 'Topic' });
  const server = str(d.ServerURL);
  if (server) out.fact('device.server_url', server, { key: 'ServerURL' });
  const checkin = str(d.CheckInURL);
  if (checkin) out.fact('device.checkin_url', checkin, { key: 'CheckInURL' });
  const identity = str(d.IdentityCertificateUUID);
  if (identity) out.fact('device.mdm_identity', identity, { key: 'IdentityCertificateUUID' });
  const managing = str(d.ManagingProfileIdentifier);
  if (managing) out.fact('device.mdm_managing_profile', managing, { key: 'ManagingProfileIdentifier' });

  const times: [string, string][] = [
    ['LastPollingAttempt', 'device.last_polling_attempt'],
    ['LastPollingSuccess', 'device.last_polling_success'],
    ['PushMagicMismatchDateMarker', 'device.push_magic_mismatch_at'],
  ];
  for (const [key, name] of times) {
    if (d[key] === undefined) continue;
    const iso = isoDate(d[key]);
    if (iso) out.fact(name, iso, { key, at: iso });
    else out.problem('mdm.date.invalid', `has a ${key} that is not a valid date`);
  }

  const dev = bool(d.UseDevelopmentAPNS);
  if (dev !== undefined) out.fact('device.mdm_apns_environment', dev ? 'development' : 'production', { key: 'UseDevelopmentAPNS' });
  const user = bool(d.UserEnrollment);
  if (user !== undefined) out.fact('device.mdm_user_enrollment', user, { key: 'UserEnrollment' });

  // mdmd only keeps this file while an enrollment is installed.
  out.fact('device.mdm_enrolled', true, { key: magic ? 'PushMagic' : server ? 'ServerURL' : undefined });
}
