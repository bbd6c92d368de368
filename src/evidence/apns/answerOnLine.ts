import { LEGACY_STATUSES, REASON_PATTERN, reasonFromSnake, reasonInfo, type ApnsReason } from './reasons.js';
import { isAssertive, type LineShape } from './answerShape.js';

const STATUSES = new Set([200, 400, 403, 404, 405, 410, 413, 429, 500, 503]);
/** Reasons that are ordinary English or HTTP words: only trusted as a JSON reason or next to their status. */
const GENERIC = new Set([
  'Forbidden',
  'Shutdown',
  'Unregistered',
  'InternalServerError',
  'ServiceUnavailable',
  'MethodNotAllowed',
  'TooManyRequests',
  'BadPath',
  'IdleTimeout',
  'BadCertificate',
  'PayloadEmpty',
]);

// No leading `\\*`: it adds nothing to an unanchored match, and retried at every backslash of a
// long run it is quadratic. The escapes after "reason are kept (JSON quoted inside a log string).
const JSON_REASON = /"reason\\*"\s*:\s*\\*"([A-Za-z]+)\\*"/;
/**
 * A JSON body the log cut off inside its reason (`{"reason":"BadCertifi`, `{"reas`, `{"reason":"BadDeviceTo…`):
 * APNs refused, but the word left is no reason (`BadCertificate` may be the start of
 * `BadCertificateEnvironment`). Optionally led by the status it answered with (`400 {"reas`).
 */
const CUT_JSON_REASON =
  /(?:\b(\d{3})\s*[:-]?\s*(?:body\s*[=:]\s*)?)?\{\s*\\*"?(?:r(?:e(?:a(?:s(?:o(?:n(?:\\*"\s*(?::\s*(?:\\*"[A-Za-z]*)?)?)?)?)?)?)?)?)?\s*(?:…|\.{3}|\[truncated\])?\s*$/;
/**
 * The status a JSON body is led by (`push failed: 400 {"reason":"PayloadTooLarge"}`, `403 body={"reason":…`):
 * the status the log gave, kept as logged even when Apple's table gives the reason another (413).
 */
const STATUS_BEFORE_JSON = /\b(\d{3})\s*[:-]?\s*(?:body\s*[=:]\s*)?\{[^{}]{0,200}?"reason\\*"\s*:/;
const BARE_REASON = new RegExp(`\\b(${REASON_PATTERN})\\b`);
const STATUS_THEN_REASON = new RegExp(`\\b(\\d{3})\\b\\s*[:\\-(]?\\s*(?:APNs push error:\\s*)?(${REASON_PATTERN})\\b`);
const STATUS =
  /(?:HTTP\/2(?:\.0)?|:status|status(?:[ _-]?code)?|HTTP status|error[ _-]?code|returned(?: HTTP)?|response(?: code)?|code)["'\s:=]*\(?\s*(\d{3})\b/i;
const SNAKE = /:?\b([a-z]+(?:_[a-z]+){1,5})\b/g;
// The header's name (apns-id), or a library's field for it (Pushy's and apns2's apnsId / ApnsID, apns_id).
const APNS_ID = /apns[-_]?id["'\s:=]+([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/i;
/**
 * The apns-collapse-id a request carried, as providers log it: the header itself (`apns-collapse-id: order-42`), or
 * a library's field for it (node-apn's and Pushy's collapseId, apns2's CollapseID, dotAPNS's CollapseId, collapse_id).
 * Never the reason BadCollapseId (no word boundary before its "Collapse"), and never an empty or null value.
 */
const COLLAPSE_ID = /\b(?:apns[-_])?collapse[-_]?id\b["']?\s*[:=]+\s*["']?([^\s"',;{}()[\]<>]{1,200})/i;
const NO_VALUE = /^(?:null|undefined|nil|none)$/i;

/** The apns-collapse-id a line names, if any. */
export function collapseIdOnLine(text: string): string | undefined {
  const m = COLLAPSE_ID.exec(text);
  return m && !NO_VALUE.test(m[1]) ? m[1] : undefined;
}
const TIMESTAMP = /timestamp\\*"?\s*[:=]?\s*(\d{10,13})\b/i;
const LEGACY_STATUS = /status(?:[ _-]?code)?["'\s:=]*\(?(\d{1,3})\b/i;

/** Phrases libraries print instead of the reason (Apple's descriptions, as apns2 and buford word them). */
const PHRASES: [RegExp, string][] = [
  [/device token is inactive for the specified topic/i, 'Unregistered'],
  [/specified device token was bad/i, 'BadDeviceToken'],
  [/device token does not match the specified topic/i, 'DeviceTokenNotForTopic'],
  [/Topic header of the request was not specified and was required/i, 'MissingTopic'],
  [/client certificate was for the wrong environment/i, 'BadCertificateEnvironment'],
  [/device token has expired/i, 'ExpiredToken'],
  [/message payload was too large/i, 'PayloadTooLarge'],
  // Azure Notification Hubs' outcome for an Apple registration whose token APNs refused; the hub then drops the
  // registration. Its own issue threads trace it to a hub set to one APNs environment and a build of the other.
  // Only for an Apple registration: the hub words an Android (fcmv1) handle's refusal the same way.
  [/\bapple\b[^\n]{0,300}?handle for the registration is invalid/i, 'BadDeviceToken'],
];

/**
 * A line that is nothing but one of Apple's descriptions of a reason, as an MDM server prints APNs's error
 * on a line of its own (MicroMDM: "the Topic header of the request was not specified and was required",
 * micromdm #765): a program's output in a log file, though it reads like a sentence (and its "not" like a
 * hedge).
 */
const WHOLE_PHRASE =
  /^\s*(?:the )?(?:device token is inactive for the specified topic|specified device token was bad|device token does not match the specified topic|Topic header of the request was not specified and was required|client certificate was for the wrong environment|device token has expired|message payload was too large)\.?\s*$/i;

export function isApplePhraseLine(text: string): boolean {
  return WHOLE_PHRASE.test(text);
}

/**
 * The reason (and status) a line states, if it is in a shape an answer takes.
 * A person's sentence counts only with a status and a verb that reports it
 * ("APNs returned 410 Unregistered"), and never when it hedges.
 */
function findReason(line: string, context: boolean, shape: LineShape, hedged: boolean): { reason?: ApnsReason; status?: number; via?: 'goaway' } {
  if (hedged) return {};
  const json = line.match(JSON_REASON);
  if (json) {
    const info = reasonInfo(json[1]);
    if (info) {
      const led = line.match(STATUS_BEFORE_JSON);
      const status = led && STATUSES.has(Number(led[1])) && Number(led[1]) !== 200 ? Number(led[1]) : undefined;
      return { reason: info, ...(status !== undefined ? { status } : {}), ...(/GOAWAY|Debug=/i.test(line) ? { via: 'goaway' as const } : {}) };
    }
  }
  const cut = line.match(CUT_JSON_REASON);
  if (cut) return cut[1] && STATUSES.has(Number(cut[1])) && Number(cut[1]) !== 200 ? { status: Number(cut[1]) } : {};
  const paired = line.match(STATUS_THEN_REASON);
  if (paired && (shape !== 'prose' || isAssertive(line))) {
    const info = reasonInfo(paired[2]);
    if (info && Number(paired[1]) === info.status && (!GENERIC.has(info.reason) || context)) return { reason: info, status: info.status };
    // A program's `400 PayloadTooLarge`: a reason no English word could be, led by a status other than Apple's
    // table gives it. The status is kept as logged beside the reason, not replaced by the table's.
    const logged = Number(paired[1]);
    if (info && shape !== 'prose' && !GENERIC.has(info.reason) && STATUSES.has(logged) && logged !== 200) return { reason: info, status: logged };
  }
  // A reason without its status or JSON is an answer only where a program wrote it.
  if (shape === 'prose') return {};
  for (const [re, name] of PHRASES) if (re.test(line)) return { reason: reasonInfo(name) };
  const bare = line.match(BARE_REASON);
  if (bare) {
    const info = reasonInfo(bare[1]);
    if (info && (!GENERIC.has(info.reason) || context)) return { reason: info };
  }
  for (const m of line.matchAll(SNAKE)) {
    const info = reasonFromSnake(m[1]);
    if (info && (!GENERIC.has(info.reason) || context)) return { reason: info };
  }
  return {};
}

/** What one line says of an APNs answer: any of its parts, to be merged with the lines around it. */
export interface AnswerPart {
  reason?: ApnsReason;
  status?: number;
  via?: 'goaway';
  legacy?: number;
  apnsId?: string;
  timestamp?: string;
  collapseId?: string;
}

export interface AnswerLine {
  /** The whole line, and the part judged (a person's message: the sentence that reports the answer). */
  text: string;
  clause: string;
  context: boolean;
  shape: LineShape;
  hedged: boolean;
  /** The input talks to the MDM server's own push API and names no APNs host: a bare status is that API's. */
  serverApiOnly: boolean;
  /** The input is about the retired binary interface: a status byte is its answer. */
  legacy: boolean;
}

/** The parts of an APNs answer on a line, or undefined when it holds none. */
export function answerOnLine(l: AnswerLine): AnswerPart | undefined {
  const found = findReason(l.clause, l.context, l.shape, l.hedged);
  // A bare status is an answer when a program logged it, or when a person reports it ("APNs returned 200");
  // after a request to the MDM server's own API (and no APNs host), a bare status is that API's.
  const statusMatch =
    found.status === undefined && !l.hedged && (l.shape !== 'prose' || isAssertive(l.clause)) && !l.serverApiOnly ? l.clause.match(STATUS) : undefined;
  const status = found.status ?? (statusMatch && STATUSES.has(Number(statusMatch[1])) ? Number(statusMatch[1]) : undefined);
  const legacyMatch = l.legacy && !found.reason && status === undefined ? l.text.match(LEGACY_STATUS) : undefined;
  const legacy =
    legacyMatch && LEGACY_STATUSES.some((s) => s.code === Number(legacyMatch[1])) && Number(legacyMatch[1]) !== 0 ? Number(legacyMatch[1]) : undefined;
  const apnsId = l.text.match(APNS_ID)?.[1];
  const timestamp = l.text.match(TIMESTAMP)?.[1];
  if (!found.reason && status === undefined && legacy === undefined && !apnsId && !timestamp) return undefined;
  const collapseId = collapseIdOnLine(l.text);
  return { ...found, status, legacy, apnsId, timestamp, ...(collapseId ? { collapseId } : {}) };
}
