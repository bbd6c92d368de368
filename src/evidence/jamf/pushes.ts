import { reasonInfo } from '../apns/reasons.js';
import { judgeValue } from '../../facts/valueShape.js';
import type { JamfLine } from './line.js';

/**
 * What a Jamf Pro push line says: which device (its UDID, Jamf's own device
 * id, serial), whether the push is being sent or APNs's answer came back, and
 * that answer (HTTP status, reason, apns-id). Jamf names the device by its own
 * inventory id ("Device ID: 412") and, on most lines, by its UDID too.
 */
export interface JamfPush {
  /** The device's UDID, or Jamf's id in words when the line gives no UDID. */
  udid: string;
  /** "mobile-device-412" / "computer-87": Jamf's own id, in a form an answer can name. */
  deviceId?: string;
  serial?: string;
  /** The line reports a push leaving (no answer on it yet). */
  sending: boolean;
  code?: number;
  reason?: string;
  apnsId?: string;
  /** The push failed with no status or reason on the line. */
  failed: boolean;
  topic?: string;
  /** A topic masked or garbled where the log was copied: named, never compared. */
  unusableTopic?: { raw: string; judged: { state: 'masked' | 'garbled'; why: string } };
  magic?: 'logged';
  token?: 'logged';
}

const PUSH_WORDS = /\bpush(?:es|ed|ing)?\b|\bapns\b|push notification/i;
/** Lines about the push certificate or the push settings name a device only by accident. */
const NOT_A_PUSH = /certificate|\bcert\b|keystore|\bsettings?\b|enrollment profile/i;
const SENDING = /\b(?:send(?:ing)?|sent|queu(?:e|ed|ing)|initiat(?:e|ed|ing)|issu(?:e|ed|ing)|pushing)\b/i;
const FAILED = /\b(?:fail(?:ed|ure|s)?|rejected|unable|could not|error)\b/i;
const ACCEPTED = /\b(?:accepted|success(?:ful(?:ly)?)?|delivered to apns)\b/i;
const UDID = /^(?:[0-9A-F]{8}-[0-9A-F]{16}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}|[0-9a-f]{40})$/i;
const SERIAL = /^[A-Z0-9]{8,14}$/;
/** Keys a push line names its device by: present but unusable (masked, cut) means the line is about someone unknown. */
const NAMES_A_DEVICE = ['udid', 'deviceid', 'mobiledeviceid', 'computerid'];
const APNS_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/** A push line whose device is masked or missing: it cannot be anyone's push. */
export const NO_DEVICE = 'no device';

export function jamfPushOf(l: JamfLine): JamfPush | typeof NO_DEVICE | undefined {
  const f = l.fields;
  if (!PUSH_WORDS.test(l.message) || NOT_A_PUSH.test(l.message.replace(/\b(?:udid|device id)\s*:.*$/i, ''))) return undefined;
  const who = deviceOf(f);
  if (!who) return NAMES_A_DEVICE.some((k) => f.has(k)) ? NO_DEVICE : undefined;
  const code = statusOf(f);
  const reasonText = f.get('reason');
  const reason = reasonText ? reasonInfo(reasonText) : undefined;
  const answered = code !== undefined || !!reason;
  const failed = !answered && FAILED.test(l.message);
  const accepted = !answered && !failed && ACCEPTED.test(l.message);
  const out: JamfPush = {
    ...who,
    sending: !answered && !failed && !accepted && SENDING.test(l.message),
    failed,
  };
  if (code !== undefined) out.code = code;
  else if (reason) out.code = reason.status;
  else if (accepted) out.code = 200;
  if (reason) out.reason = reason.reason;
  const apnsId = f.get('apnsid');
  if (apnsId && APNS_ID.test(apnsId)) out.apnsId = apnsId.toLowerCase();
  const topic = f.get('topic');
  if (topic?.includes('.')) {
    const j = judgeValue('topic', topic);
    if (j.state === 'ok') out.topic = topic;
    else if (j.state !== 'invalid') out.unusableTopic = { raw: topic, judged: j };
  }
  const magic = f.get('pushmagic');
  if (magic && judgeValue('magic', magic).state !== 'invalid') out.magic = 'logged';
  const token = f.get('devicetoken') ?? f.get('pushtoken') ?? f.get('token');
  if (token && judgeValue('token', token).state !== 'invalid') out.token = 'logged';
  // A line that neither sends, nor answers, nor fails is about something else ("push settings loaded for …").
  if (!out.sending && out.code === undefined && !out.failed) return undefined;
  return out;
}

function deviceOf(f: Map<string, string>): Pick<JamfPush, 'udid' | 'deviceId' | 'serial'> | undefined {
  const udid = f.get('udid');
  const jamfId = f.get('mobiledeviceid') ?? f.get('deviceid');
  const computerId = f.get('computerid');
  const deviceId =
    jamfId && /^\d{1,9}$/.test(jamfId) ? `mobile-device-${jamfId}` : computerId && /^\d{1,9}$/.test(computerId) ? `computer-${computerId}` : undefined;
  const serial = f.get('serialnumber') ?? f.get('serial');
  const out: Pick<JamfPush, 'udid' | 'deviceId' | 'serial'> = { udid: '' };
  if (deviceId) out.deviceId = deviceId;
  if (serial && SERIAL.test(serial.toUpperCase())) out.serial = serial.toUpperCase();
  // A masked or cut UDID names no device: Jamf's own id still does.
  if (udid && UDID.test(udid)) out.udid = udid;
  else if (deviceId) out.udid = deviceId;
  else return undefined;
  return out;
}

function statusOf(f: Map<string, string>): number | undefined {
  for (const k of ['statuscode', 'httpstatus', 'responsecode', 'status']) {
    const v = f.get(k);
    if (v && /^\d{3}$/.test(v)) return Number(v);
  }
  return undefined;
}
