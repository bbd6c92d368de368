import { toIsoTime } from '../../facts/normalize.js';

/**
 * One line of Jamf Pro's server log (JAMFSoftwareServer.log), as its log4j
 * layout writes it: the server's local time (milliseconds after a comma, no
 * zone), the level, the thread and the logger cut to fixed widths, then the
 * message, whose details Jamf writes as `Key: value` pairs:
 *
 *   2024-05-06 09:14:02,117 [INFO ] [duledPool-3    ] [PushNotificationSender   ] - Sending MDM push notification. Device ID: 412, UDID: 0000…
 */
export interface JamfLine {
  /** ISO UTC; with no zone written, the wall clock read as if UTC (zone "unknown"). */
  at: string;
  zone?: string;
  level: string;
  logger: string;
  message: string;
  /** The message's `Key: value` pairs, keys lower case without spaces or dashes ("Device ID" → "deviceid"). */
  fields: Map<string, string>;
}

// Bounded pieces only, each delimited by a character it cannot contain: linear on any line.
const HEAD =
  /^\s*\[?(\d{4})-(\d{2})-(\d{2})[ T](\d{2}:\d{2}:\d{2})(?:[,.](\d{1,6}))?\]?(?:\s?(Z|[+-]\d{2}:?\d{2}))?\s+\[\s{0,5}([A-Za-z]{3,7})\s{0,5}\]\s+(?:\[([^\]]{0,80})\]\s+)?\[([^\]]{1,100})\]\s+-\s(.*)$/;

/** The keys Jamf names a push's details by; anything else in the message is prose. */
const KEY =
  /(?:^|[\s,;|.(])(device id|mobile device id|computer id|management id|udid|serial number|serial|topic|push magic|pushmagic|device token|push token|token|status code|http status|response code|status|reason|apns-id|apns id|apnsid|timestamp)\s{0,3}[:=]\s{0,3}"?([^\s,;|"()[\]]{1,200})/gi;

export function readJamfLine(text: string): JamfLine | undefined {
  if (text.length > 8000) return undefined;
  const m = HEAD.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, hms, frac, zoneText, level, , logger, message] = m;
  const at = toIsoTime(`${y}-${mo}-${d} ${hms}${frac ? `.${frac}` : ''}${zoneText ?? 'Z'}`);
  if (!at) return undefined;
  const fields = new Map<string, string>();
  for (const k of message.matchAll(KEY)) {
    const key = k[1].toLowerCase().replace(/[\s-]+/g, '');
    // The first of a key counts: a later "Status" in a quoted error body is not the line's own.
    if (!fields.has(key)) fields.set(key, k[2].replace(/\.+$/, ''));
  }
  const out: JamfLine = { at, level: level.toUpperCase(), logger: logger.trim(), message, fields };
  const zone = zoneText ? offsetOf(zoneText) : 'unknown';
  if (zone) out.zone = zone;
  return out;
}

function offsetOf(z: string): string | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m || (m[2] === '00' && m[3] === '00')) return undefined;
  return `${m[1]}${m[2]}:${m[3]}`;
}

/** Whether the first bytes of a file are Jamf Pro's log layout. */
export function looksLikeJamfLog(head: string): boolean {
  return head.split('\n', 4).some((l) => HEAD.test(l) && /\] - /.test(l));
}
