import type { Fact } from '../../facts/schema.js';
import { sourceOf, type Item, type LineReader } from '../types.js';
import { looksLikeDeviceLog } from '../text/recognise.js';
import { isPushText, lineTimeZoned } from './textInput.js';

/**
 * What Firebase Cloud Messaging answered a server that sends an iOS app's pushes through it. FCM holds
 * its own registration token for the app on the device and relays the push to APNs with the APNs token
 * the app gave it, so its answers speak of its token, not of APNs's: UNREGISTERED means FCM's token is no
 * longer valid (the app was removed, its token was refreshed, or APNs told FCM the APNs token is dead),
 * never by itself that APNs answered 410.
 *
 * The forms read, as Firebase's error references and its SDKs print them (shapes, not copies):
 * - HTTP v1: a `details` entry of type `…fcm.v1.FcmError` with `"errorCode": "UNREGISTERED"`, as JSON,
 *   a Python or Elixir dict, or Java's `MessagingErrorCode.UNREGISTERED`;
 * - the retired legacy API: `"results":[{"error":"NotRegistered"}]`, also quoted by push dashboards
 *   ("Push bounced: NotRegistered");
 * - the Admin SDKs: Node's `code: 'messaging/registration-token-not-registered'`, Python's
 *   `UnregisteredError` / `SenderIdMismatchError` / `QuotaExceededError`;
 * - the messages alone when no code is near: "SenderId mismatch", "is not a valid FCM registration token";
 * - Expo's push tickets and receipts (it relays an iOS app's pushes to APNs the same way): DeviceNotRegistered.
 * THIRD_PARTY_AUTH_ERROR (APNs refused FCM's credentials) is the provider reader's.
 */

type Value =
  | 'unregistered'
  | 'sender_id_mismatch'
  | 'invalid_registration'
  | 'invalid_argument'
  | 'quota_exceeded'
  | 'unavailable'
  | 'internal'
  | 'message_too_big';

const V1: Record<string, Value> = {
  UNREGISTERED: 'unregistered',
  SENDER_ID_MISMATCH: 'sender_id_mismatch',
  INVALID_ARGUMENT: 'invalid_argument',
  QUOTA_EXCEEDED: 'quota_exceeded',
  UNAVAILABLE: 'unavailable',
  INTERNAL: 'internal',
};
// `errorCode: UNREGISTERED`, `"errorCode":"UNREGISTERED"`, `'errorCode' => 'UNREGISTERED'`, `MessagingErrorCode.UNREGISTERED`.
const V1_CODE =
  /(?:\berrorCode["']?\s*(?:=>|[:=])\s*["']?|\bMessagingErrorCode\.)(UNREGISTERED|SENDER_ID_MISMATCH|INVALID_ARGUMENT|QUOTA_EXCEEDED|UNAVAILABLE|INTERNAL)\b/g;

const LEGACY: Record<string, Value> = {
  NotRegistered: 'unregistered',
  MismatchSenderId: 'sender_id_mismatch',
  InvalidRegistration: 'invalid_registration',
  MissingRegistration: 'invalid_registration',
  MessageTooBig: 'message_too_big',
  DeviceMessageRateExceeded: 'quota_exceeded',
  Unavailable: 'unavailable',
  InternalServerError: 'internal',
};
// The three names FCM alone uses are read anywhere on a line; the generic ones only as a result's quoted
// `error`, in a file that has named FCM.
const LEGACY_OWN = /\b(NotRegistered|MismatchSenderId|InvalidRegistration)\b/g;
const LEGACY_ERROR = /\berror["']?\s*(?:=>|[:=])\s*["'](MissingRegistration|MessageTooBig|DeviceMessageRateExceeded|Unavailable|InternalServerError)["']/g;

const ADMIN: Record<string, Value> = {
  'registration-token-not-registered': 'unregistered',
  'mismatched-credential': 'sender_id_mismatch',
  'invalid-registration-token': 'invalid_registration',
  'invalid-argument': 'invalid_argument',
  'message-rate-exceeded': 'quota_exceeded',
  'device-message-rate-exceeded': 'quota_exceeded',
  'server-unavailable': 'unavailable',
  'internal-error': 'internal',
  'payload-size-limit-exceeded': 'message_too_big',
};
const ADMIN_CODE =
  /\bmessaging\/(registration-token-not-registered|mismatched-credential|invalid-registration-token|invalid-argument|device-message-rate-exceeded|message-rate-exceeded|server-unavailable|internal-error|payload-size-limit-exceeded)\b/g;

const PYTHON: Record<string, Value> = {
  UnregisteredError: 'unregistered',
  SenderIdMismatchError: 'sender_id_mismatch',
  QuotaExceededError: 'quota_exceeded',
};
// Python's exception classes, named with their module so a class of another library is not taken.
const PYTHON_CLASS = /\b(?:firebase_admin\.[\w.]{0,40}|messaging\.)(UnregisteredError|SenderIdMismatchError|QuotaExceededError)\b/g;

// Expo's push tickets and receipts: `"details":{"error":"DeviceNotRegistered"}`; the generic names only in a file that has named Expo.
const EXPO: Record<string, Value> = {
  DeviceNotRegistered: 'unregistered',
  MessageTooBig: 'message_too_big',
  MessageRateExceeded: 'quota_exceeded',
};
const EXPO_OWN = /\b(DeviceNotRegistered)\b/g;
const EXPO_ERROR = /\berror["']?\s*(?:=>|[:=])\s*["'](MessageTooBig|MessageRateExceeded)["']/g;
const EXPO_CONTEXT = /ExponentPushToken|ExpoPushToken|\bexpo\b/i;

// Messages that say it with no code on the line (the code may follow a few lines down, in the same body).
const MESSAGES: [RegExp, Value][] = [
  [/\bSenderId mismatch\b/i, 'sender_id_mismatch'],
  [/\bis not a valid FCM registration token\b/i, 'invalid_registration'],
];

/**
 * A line holding a push relay's own answer (FCM's error body, its Admin SDK's error, OneSignal's API
 * error, Expo's ticket or receipt): the HTTP status on it is the relay's, never APNs's, and its "status"
 * is no MDM command status. A body that passes on APNs's own answer
 * (FCM's ApnsError detail) is left to the APNs answer reader.
 */
const RELAY_OWN =
  /FcmError|fcm\.googleapis\.com|FirebaseMessaging(?:Error|Exception)|\bmessaging\/[a-z]+-[a-z-]+|multicast_id|OneSignalError|ExponentPushToken|DeviceNotRegistered/;
/** What a relay passes on of APNs's own answer: FCM's ApnsError detail, Expo's "(reason: Unregistered, status code: 410)". */
const RELAYED_APNS = /ApnsError|Apple Push Notification service failed to send/;
export function isRelayOwnAnswer(text: string): boolean {
  return RELAY_OWN.test(text) && !RELAYED_APNS.test(text);
}

// A multicast answer (the legacy API's, or a library's batch) holds one result per token sent: several devices.
const RESULT_ENTRY = /\b(?:error|message_id)["']?\s*(?:=>|[:=])/g;
const COUNT = /\b(success|failure)["']?\s*(?:=>|[:=])\s*(\d{1,9})\b/g;

/**
 * Every form above holds one of these words: a line without any is passed over at the cost of one search
 * (a server log of half a million lines holds none).
 */
const GATE =
  /errorCode|MessagingErrorCode|messaging[/.]|NotRegistered|MismatchSenderId|InvalidRegistration|MissingRegistration|MessageTooBig|MessageRateExceeded|Unavailable|InternalServerError|UnregisteredError|SenderIdMismatchError|QuotaExceededError|SenderId mismatch|FCM registration token|DeviceNotRegistered/;
/**
 * The relay token a line names (`token=eXk3…`, `"token": "…"`, `registration_token: …`): answers naming
 * two or more tokens are several devices' answers, each one's only.
 */
const TOKEN_NAMED = /\b(?:registration_?token|registrationToken|fcm_?token|token)["']?\s*[=:]\s*["']?([A-Za-z0-9_:.\-[\]]{4,300})/i;

/** How many of the latest lines are kept to look up from a code: the longest look (a log entry's time) and one. */
const RECENT = 41;

/** A multi-line body's code replaces its message read a few lines above; a log entry's lines share its time. */
const SAME_BODY_LINES = 12;
const ENTRY_LINES = 40;
/** Longer lines are cut: every answer form above is short and near the start of what it is in. */
const MAX_LINE = 8192;

interface Found {
  value: Value;
  code: string;
  relay: 'fcm' | 'expo';
}

// Where a generic legacy name (Unavailable…) counts: the file has spoken of FCM by then.
const FCM_CONTEXT = /\bfcm\b|firebase|\bgcm\b|multicast_id|googleapis|FcmError/i;

function codesOn(text: string, fcmSeen: boolean, expoSeen: boolean): Found[] {
  const found: Found[] = [];
  const add = (value: Value | undefined, code: string, relay: Found['relay'] = 'fcm') => {
    if (value && !found.some((f) => f.value === value)) found.push({ value, code, relay });
  };
  for (const m of text.matchAll(EXPO_OWN)) add(EXPO[m[1]!], m[1]!, 'expo');
  if (expoSeen) for (const m of text.matchAll(EXPO_ERROR)) add(EXPO[m[1]!], m[1]!, 'expo');
  for (const m of text.matchAll(V1_CODE)) add(V1[m[1]!], m[1]!);
  for (const m of text.matchAll(ADMIN_CODE)) add(ADMIN[m[1]!], `messaging/${m[1]!}`);
  for (const m of text.matchAll(PYTHON_CLASS)) add(PYTHON[m[1]!], m[1]!);
  for (const m of text.matchAll(LEGACY_OWN)) add(LEGACY[m[1]!], m[1]!);
  if (fcmSeen || found.length) for (const m of text.matchAll(LEGACY_ERROR)) add(LEGACY[m[1]!], m[1]!);
  return found;
}

export const relayAnswerReader: LineReader = {
  id: 'apns.relay_answer',
  kind: 'lines',
  // A device's own log holds no server's FCM answers (the app's FCM SDK logs its own token, not answers).
  accepts: (name, head, item) => isPushText(name, head, item) && (!!item.pasted || !looksLikeDeviceLog(head)),
  open(item: Item) {
    const facts: Fact[] = [];
    // Where each value was last read: a message read just above a code for the same value is the same answer.
    const last = new Map<Value, { line: number; index: number; weak: boolean }>();
    // The latest lines, kept by reference: a log entry's time, the service's name and a batch's counts lie a
    // few lines above the code, and are looked for only when a code is found (most lines have none).
    const recent: string[] = new Array(RECENT);
    /**
     * Lines fed so far: `recent` is kept by it, not by the file line, which may repeat or skip (a record
     * taken out of a wrapper, or joined from several lines, is named by the line it starts on).
     */
    let fed = 0;
    let fcmSeen = false;
    let expoSeen = false;
    const tokens = new Set<string>();
    /** The nearest line fed at or above the k-th (within `span`) that the test finds something on. */
    const above = <T>(n: number, span: number, find: (text: string) => T | undefined): T | undefined => {
      for (let k = n; k > n - span && k > 0; k--) {
        const text = recent[k % RECENT];
        if (text === undefined) break;
        const got = find(text.length > MAX_LINE ? text.slice(0, MAX_LINE) : text);
        if (got !== undefined) return got;
      }
      return undefined;
    };
    return {
      line(raw, n) {
        const k = ++fed;
        recent[k % RECENT] = raw;
        if (!GATE.test(raw)) return;
        const text = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
        // A file that has named FCM (or Expo) by now: its generic result names count.
        if (!fcmSeen && above(k, RECENT, (t) => (FCM_CONTEXT.test(t) ? true : undefined))) fcmSeen = true;
        if (!expoSeen && above(k, RECENT, (t) => (EXPO_CONTEXT.test(t) ? true : undefined))) expoSeen = true;
        const found = codesOn(text, fcmSeen && !expoSeen, expoSeen);
        for (const f of found)
          if (f.relay === 'fcm') fcmSeen = true;
          else expoSeen = true;
        const weak = !found.length;
        if (weak) for (const [re, value] of MESSAGES) if (re.test(text)) found.push({ value, code: re.source.replaceAll('\\b', ''), relay: 'fcm' });
        if (!found.length) return;
        const time = above(k, ENTRY_LINES, (t) => lineTimeZoned(t));
        const entries = text.match(RESULT_ENTRY)?.length ?? 0;
        const counted = above(k, SAME_BODY_LINES, (t) => {
          let total = 0;
          for (const m of t.matchAll(COUNT)) total += Number(m[2]);
          return total || undefined;
        });
        const several = entries > 1 || (counted ?? 0) > 1;
        const token = TOKEN_NAMED.exec(text)?.[1];
        if (token) tokens.add(token);
        // INVALID_ARGUMENT is any bad field; with its message (here or just above) naming the token, it is the token.
        const bad = found.find((f) => f.value === 'invalid_argument');
        if (bad) {
          const before = last.get('invalid_registration');
          if (MESSAGES[1]![0].test(text) || (before?.weak && Math.abs(n - before.line) <= SAME_BODY_LINES)) bad.value = 'invalid_registration';
        }
        for (const f of found) {
          const before = last.get(f.value);
          const near = before && Math.abs(n - before.line) <= SAME_BODY_LINES;
          if (near && weak) continue;
          const fact: Fact = {
            name: 'apns.relay_answer',
            value: f.value,
            source: sourceOf(item, n),
            ...(time ? { at: time.at } : {}),
            attrs: { relay: f.relay, scope: several ? 'several' : 'one', code: f.code, ...(time?.zone ? { zone: time.zone } : {}) },
          };
          if (near && before.weak) {
            facts[before.index] = fact;
            last.set(f.value, { line: n, index: before.index, weak: false });
          } else {
            last.set(f.value, { line: n, index: facts.length, weak });
            facts.push(fact);
          }
        }
      },
      end() {
        // Answers for two or more tokens in one file are several devices': none is the case's device's yet.
        if (tokens.size > 1) for (const f of facts) f.attrs = { ...f.attrs, scope: 'several' };
        return { facts, problems: [] };
      },
    };
  },
};
