import { lineTime } from './textInput.js';

/**
 * Whether a line can carry an APNs answer at all (issue 8 item 8). A reason
 * named in conversation ("if APNs answers PayloadTooLarge then …", "I do not
 * think it is ExpiredToken", "Check for BadDeviceToken later") is not an
 * observation. Reasons count only in the shapes an answer takes: a JSON body,
 * an HTTP status with its reason, a provider library's or server's log line,
 * a GOAWAY frame, a TLS alert.
 *
 * - `log`: a line a program wrote: a time at its start, logfmt pairs, JSON,
 *   curl -v's `<` / `>` / `*` lines, an HTTP status line.
 * - `tagged`: a line led by a program's tag or level ("apns: …", "rpush: …",
 *   "ERROR …", "Error code 400 …"); it may still be a person's sentence.
 * - `prose`: anything else, i.e. what a person typed.
 */
export type LineShape = 'log' | 'tagged' | 'prose';

// Go's net/http errors start with the request: Post "https://api.push.apple.com/3/device/…": …, also as a
// push API's JSON answer carries it (MicroMDM's send_push_notification: `"error": "Post \"https://…\": unexpected EOF"`).
const LOG_START = /^\s*(?:[{[]|HTTP\/\d|:status\b|(?:"(?:error|err|push_error)"\s*:\s*")?(?:Post|Get|POST|GET|PUT)\s+\\?"?https?:\/\/)/;
/** curl -v: "> POST /3/device/…", "< HTTP/2 400", "< apns-id: …", "* Connected to …"; a Slack quote or bullet is not one. */
const CURL =
  /^\s*(?:[<>]\s*(?:$|HTTP\/|[A-Z]+ \/|[\w-]+:\s)|\*\s+(?:Connected|Trying|TLS|SSL|ALPN|Using HTTP|Connection|Server certificate|Re-using|Closing|h2|Established)\b)/i;
const QUOTE_OR_BULLET = /^\s*(?:>\s*)+|^\s*[-*•]\s+/;
/** A key=value pair's start; keys are bounded so that a 64 KB line of word characters stays linear. */
const LOGFMT_KEY = /(?:^|[\s,;{])[\w.-]{1,64}=(?=\S)/g;

/** Two or more key=value pairs: logfmt, as Go servers (NanoMDM, MicroMDM) and many providers write. */
function isLogfmt(line: string): boolean {
  LOGFMT_KEY.lastIndex = 0;
  let pairs = 0;
  while (LOGFMT_KEY.exec(line)) if (++pairs >= 2) return true;
  return false;
}
/** Words people start chat lines with; "Note: …" is not a program's tag. */
const CHAT_TAGS =
  /^(?:note|notes|update|fyi|edit|ps|re|q|a|question|answer|context|issue|problem|summary|tl;?dr|hi|hey|hello|thanks|also|btw|ok|so|well|and|but|customer|user|me|you|us|them|todo|next|plan|idea|status update)$/i;
const TAG = /^\s*(?:\[[^\]]{1,40}\]\s*)*([A-Za-z][\w.\-/]{0,40})(?:\[\d+\])?:\s/;
const LEVEL = /^\s*(?:\[[^\]]{1,40}\]\s*)*\[?(?:ERROR|WARN(?:ING)?|INFO|DEBUG|FATAL|CRITICAL|NOTICE|TRACE)\b|^\s*Error code \d{3}\b/i;

/**
 * The last line of a Python traceback when the exception has no message: its qualified class name alone
 * (`apns2.errors.BadDeviceToken`, how PyAPNs2 raises APNs' reason). A person does not type that on a line.
 */
const EXCEPTION_NAME = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*\.[A-Z][A-Za-z0-9]*\s*$/;

/** A row of Azure Notification Hubs' Test Send results: platform | registration id | outcome. */
const HUB_RESULT_ROW = /^\s*(?:apple|fcm\w*|gcm|wns|baidu|adm)\s*\|\s*[\w-]+\s*\|/i;

/**
 * Lines push services and servers print in words, which read like a person's sentence but are program
 * output: Braze's message activity ("Received 'BadDeviceToken' sending error to <token>"), Expo's receipt
 * message ("The Apple Push Notification service failed to send the notification (reason: …"), gorush's
 * log ("ERRO[2026/11/20 - 09:15:11] | failed-push | ios [<token>] | …"), and a Python exception with its
 * message ("sygnal.exceptions.NotificationDispatchException: 400 BadDeviceToken").
 */
const PROGRAM_SENTENCE =
  /^\s*(?:Received '[A-Za-z]{3,40}' sending error to [0-9A-Fa-f]{64}\b|"?The Apple Push Notification service failed to send the notification \(reason: |(?:INFO|ERRO|WARN|DEBU)\[\d{4}\/\d{2}\/\d{2} - \d{2}:\d{2}:\d{2}\]|[a-z_][a-z0-9_]{0,40}(?:\.[a-z_][a-z0-9_]{0,40}){0,6}\.[A-Z][A-Za-z0-9]{0,60}(?:Error|Exception): )/;

export function lineShape(raw: string): LineShape {
  if (CURL.test(raw) || EXCEPTION_NAME.test(raw) || HUB_RESULT_ROW.test(raw) || PROGRAM_SENTENCE.test(raw)) return 'log';
  const line = raw.replace(QUOTE_OR_BULLET, '');
  if (LOG_START.test(line) || lineTime(line) !== undefined || isLogfmt(line)) return 'log';
  const tag = TAG.exec(line);
  if ((tag && !CHAT_TAGS.test(tag[1])) || LEVEL.test(line)) return 'tagged';
  return 'prose';
}

/**
 * Words that make a sentence a condition, a denial, a guess, a plan or a
 * memory rather than a report of what APNs answered. Log lines are not
 * checked: programs write "could not send" without hedging.
 */
const HEDGE =
  /\b(?:if|unless|whether|not|no|never|nor|maybe|perhaps|possibly|probably|might|could|would|should|may|later|ago|used to|last (?:year|month|week|time)|check (?:for|if|whether)|look (?:for|out)|watch (?:for|out)|expect\w*|in case|suppose|assume|think|thought|guess|suspect|wonder|doubt|means?|docs?|documentation|e\.g|such as|for example|like|handle|handles|handling|what|why|how|instead|rather|either|else)\b|n't\b|\?/i;

export function isHedged(line: string): boolean {
  return HEDGE.test(line);
}

/** A person reporting what APNs (or the server) answered: "APNs returned 200 at 09:05", "we got 410 Unregistered". */
const ASSERTIVE =
  /\b(?:returned|returns|answered|answers|responded|responds|replied|replies|gave|gives|got|get|getting|sent back|came back with|says|said|shows|showed|logged)\b/i;

export function isAssertive(line: string): boolean {
  return ASSERTIVE.test(line);
}

/**
 * The sentence of a person's message that reports an answer ("APNs returned 200 at 09:05."): words in
 * another sentence ("The phone never checked in.") neither hedge nor make it. Messages of one sentence
 * are judged whole.
 */
export function answerClause(line: string): string {
  const parts = line.split(/(?<=[.!;])\s+/);
  if (parts.length < 2) return line;
  const clause = parts.find((p) => ASSERTIVE.test(p) && /\b\d{3}\b/.test(p));
  if (!clause) return line;
  // Doubt anywhere in the message ("APNs returned 200. Not sure though.") still makes it a guess.
  return parts.some((p) => p !== clause && UNSURE.test(p)) ? line : clause;
}

const UNSURE = /\b(?:maybe|perhaps|possibly|probably|might|not sure|unsure|I think|I guess|guess|suspect|wonder|doubt|unclear|if)\b|\?/i;

/** Technical text of a TLS failure, as libraries print it, not the words a person uses for it. */
const TLS_TECHNICAL = /\btls:|\bx509:|\bssl\b|SSL routines|\balert\b|handshake|error:[0-9A-F]{8}|CERTIFICATE_VERIFY_FAILED|PKIX|remote error/i;

export function isTechnicalTls(line: string): boolean {
  return TLS_TECHNICAL.test(line);
}

/** Technical text of a connection failure (errno names, dial errors), not "it timed out" in a sentence. */
const CONNECT_TECHNICAL =
  /\bdial tcp\b|i\/o timeout|ETIMEDOUT|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|getaddrinfo|no such host|Name or service not known|connect: connection refused/i;

export function isTechnicalConnect(line: string): boolean {
  return CONNECT_TECHNICAL.test(line);
}
