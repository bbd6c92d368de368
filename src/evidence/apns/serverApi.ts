import { isShortDeviceId } from '../../facts/normalize.js';
import { isPlausibleId } from '../notnow/ids.js';

/**
 * An MDM server's own API and storage, as opposed to APNs (issue 8 item 5).
 * A 500 from the server's push endpoint, or its "no push info for this
 * device", is the server speaking: no push reached APNs, so there is no APNs
 * answer to read.
 */

/** The server has no stored TokenUpdate (push info) for the id it was asked to push to. */
const NO_PUSH_INFO =
  /retrieving PushInfo by UDID: not found|PushInfo(?: udid)? \S+ not found|PushInfo not found|push data missing for id|no push info(?:rmation)? (?:found )?for/i;

export function isNoPushInfo(line: string): boolean {
  return NO_PUSH_INFO.test(line);
}

const ID_AT =
  /\b(?:udid|id_first|idfirst|enrollment_id|device_id|id)\s*[=:]\s*"?([A-Za-z0-9][A-Za-z0-9:._@-]{7,199})|PushInfo udid ([A-Za-z0-9][A-Za-z0-9:._@-]{7,199})/i;

/** The device id a "no push info" line names, if any. */
export function idOnLine(line: string): string | undefined {
  const m = ID_AT.exec(line);
  const id = m?.[1] ?? m?.[2];
  return id && isPlausibleId(id) ? id : undefined;
}

const SHORT_ID_AT = /\bdevice_?id\s*[=:]\s*"?([A-Za-z0-9][A-Za-z0-9_-]{0,6})(?![A-Za-z0-9_.:@-])/i;

/** The server's own short device id (`device_id=A1`) a "no push info" line names, when it names no longer id. */
export function shortIdOnLine(line: string): string | undefined {
  const id = SHORT_ID_AT.exec(line)?.[1];
  return id && isShortDeviceId(id) ? id : undefined;
}

/**
 * A line about the MDM server's own API: a request to its push or enqueue
 * endpoint (NanoMDM /v1/push/…, MicroMDM /push/<udid>, mdmctl), its result
 * body, or a person's words for it. A bare status there is the API's.
 */
const API =
  /\/v1\/(?:push|enqueue)\/|\/push\/[A-Za-z0-9-]{8,}|\bmdmctl\b|\bpush[ _-]?endpoint\b|\b(?:our|the|mdm|server'?s?) (?:mdm )?(?:server'?s? )?(?:api|endpoint)\b|\bpush_error\b|\benqueue_error\b|\bPushInfo\b/i;

export function isServerApi(line: string): boolean {
  return API.test(line) && !/push\.apple\.com/i.test(line);
}
