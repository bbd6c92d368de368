import { bytes, str, type PlistDict } from '../../plist/index.js';
import type { Collector } from '../emit.js';
import { maskedWhy } from '../../../facts/valueShape.js';
import { platformOf } from '../platform.js';

/** A check-in message the device sent to the CheckInURL (as the server stored or logged it). */
export function isCheckin(d: PlistDict): boolean {
  return typeof d.MessageType === 'string';
}

/** User-channel messages name the user; device-channel ones do not. */
export function channelOf(d: PlistDict): 'device' | 'user' {
  return d.UserID !== undefined || d.UserShortName !== undefined || d.UserLongName !== undefined || d.EnrollmentUserID !== undefined ? 'user' : 'device';
}

export function readCheckin(d: PlistDict, out: Collector): void {
  const type = str(d.MessageType) ?? '';
  const channel = channelOf(d);
  const udid = str(d.UDID) ?? str(d.EnrollmentID);
  const topic = str(d.Topic);
  const model = str(d.ProductName) ?? str(d.Model);
  const osVersion = str(d.OSVersion);
  const platform = platformOf(model, osVersion);
  const attrs = { udid, topic, channel, platform, model, user: str(d.UserShortName) ?? str(d.UserID) };

  if (type === 'Authenticate') out.fact('mdm.checkin.authenticate', true, { key: 'MessageType', attrs });
  else if (type === 'TokenUpdate')
    out.fact('mdm.checkin.token_update', true, {
      key: 'MessageType',
      attrs: { ...attrs, awaiting_configuration: d.AwaitingConfiguration === true ? 'true' : undefined },
    });
  else if (type === 'CheckOut') out.fact('mdm.checkin.checkout', true, { key: 'MessageType', attrs });
  else return; // other check-ins (bootstrap token, declarative management…) say nothing about pushes

  // The Topic a device sends is the one it enrolled with, as the server stored it. It is not proof of the
  // topic the server pushes on: that comes from the push certificate, and a certificate replaced instead of
  // renewed pushes on a new topic while enrolled devices keep the old one (seed 000).
  if (topic) out.value('server.enrolled_topic', 'topic', topic, { key: 'Topic', attrs: { channel, message: type, udid } });
  if (udid) out.value('device.udid', 'udid', udid, { key: d.UDID !== undefined ? 'UDID' : 'EnrollmentID' });

  if (type === 'Authenticate' && channel === 'device') {
    if (model) out.fact('device.model', model, { key: d.ProductName !== undefined ? 'ProductName' : 'Model' });
    if (osVersion) out.fact('device.os_version', osVersion, { key: 'OSVersion' });
    const build = str(d.BuildVersion);
    if (build) out.fact('device.os_build', build, { key: 'BuildVersion' });
    const serial = str(d.SerialNumber);
    if (serial) out.fact('device.serial', serial, { key: 'SerialNumber' });
    if (platform) out.fact('device.platform', platform, { key: d.ProductName !== undefined ? 'ProductName' : 'Model' });
  }

  // The user channel has its own token and magic; only the device channel's are the device's push identity.
  // What a TokenUpdate brings is what the server stores and pushes with.
  // Each value names the device it came from, so a case about another device never reads it as its own,
  // and the message, so a value pasted or read off a push line is never presented as the TokenUpdate's.
  if (type === 'TokenUpdate' && channel === 'device') {
    const own = { udid, message: type };
    const magic = str(d.PushMagic);
    if (magic) out.value('server.push_magic', 'magic', magic, { key: 'PushMagic', attrs: own });
    // A Token copied into a ticket as text is often hidden ("<redacted>", "XXXX…"): masked, not base64 to decode.
    if (typeof d.Token === 'string' && maskedWhy(d.Token)) out.value('server.push_token', 'token', d.Token, { key: 'Token', attrs: own });
    else if (d.Token !== undefined) {
      const token = bytes(d.Token);
      if (!token) out.problem('mdm.token.unreadable', 'has a TokenUpdate Token that is not data');
      else if (token.length !== 32) {
        out.problem('mdm.token.length', `has a TokenUpdate Token of ${token.length} bytes; APNs device tokens are 32 bytes`);
        out.garbled('server.push_token', 'token', token, `is ${token.length} bytes; a push token is 32`, 'Token');
      } else out.fact('server.push_token', token.toString('hex'), { key: 'Token', attrs: own });
    }
    out.fact('server.unlock_token_present', d.UnlockToken !== undefined, { key: d.UnlockToken !== undefined ? 'UnlockToken' : 'MessageType' });
  }
}
