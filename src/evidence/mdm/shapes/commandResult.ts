import { num, str, isDict, type PlistDict } from '../../plist/index.js';
import type { Collector } from '../emit.js';
import { channelOf } from './checkin.js';

const COMMAND_STATUSES = ['Acknowledged', 'Error', 'CommandFormatError', 'NotNow', 'Idle'] as const;

/** A device's answer to the server (a command result or an Idle poll). */
export function isCommandResult(d: PlistDict): boolean {
  if (d.MessageType !== undefined || d.Command !== undefined) return false;
  const status = str(d.Status);
  return (status !== undefined && ((COMMAND_STATUSES as readonly string[]).includes(status) || d.CommandUUID !== undefined)) || Array.isArray(d.ErrorChain);
}

export function readCommandResult(d: PlistDict, out: Collector): void {
  const status = str(d.Status);
  const commandUuid = str(d.CommandUUID);
  const udid = str(d.UDID) ?? str(d.EnrollmentID);
  const attrs = {
    command_uuid: commandUuid,
    request_type: str(d.RequestType),
    udid,
    channel: channelOf(d),
  };
  if (status) out.fact('mdm.command.status', status, { key: 'Status', attrs });
  if (udid && attrs.channel === 'device') out.fact('device.udid', udid, { key: d.UDID !== undefined ? 'UDID' : 'EnrollmentID' });

  if (Array.isArray(d.ErrorChain)) {
    let after = out.origin.lines.offset('ErrorChain');
    for (const e of d.ErrorChain) {
      if (!isDict(e)) continue;
      const text = str(e.LocalizedDescription) ?? str(e.USEnglishDescription) ?? str(e.ErrorDomain) ?? 'error without a description';
      const code = num(e.ErrorCode);
      const key = e.LocalizedDescription !== undefined ? 'LocalizedDescription' : 'ErrorCode';
      out.fact('mdm.command.error', text, {
        key,
        after,
        attrs: {
          command_uuid: commandUuid,
          request_type: attrs.request_type,
          code: code !== undefined ? String(code) : undefined,
          domain: str(e.ErrorDomain),
          udid,
        },
      });
      const here = out.origin.lines.offset(key, after);
      if (here !== undefined) after = here + 1;
    }
  }
}
