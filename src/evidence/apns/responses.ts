import { FactFolder } from '../../facts/fold.js';
import type { Fact, Problem } from '../../facts/schema.js';
import { itemName, problemOf, sourceOf, type Item, type LineReader, type LineSink, type ReadResult } from '../types.js';
import { SECURE_MAIL_MODULE } from '../securemail/names.js';
import { hostsIn, type HostMention } from './hosts.js';
import { APNS_REASONS, LEGACY_STATUSES, REASON_PATTERN, TLS_PATTERNS } from './reasons.js';
import { answerClause, isHedged, isTechnicalConnect, isTechnicalTls, lineShape, type LineShape } from './answerShape.js';
import { answerOnLine, collapseIdOnLine, isApplePhraseLine, type AnswerPart } from './answerOnLine.js';
import { answerFact, endpointFacts, isAnswer, settleAnswers, tlsFacts, type HostSeen, type PendingAnswer, type TlsSeen } from './responseFacts.js';
import { idOnLine, isNoPushInfo, isServerApi, shortIdOnLine } from './serverApi.js';
import { isPlausibleId } from '../notnow/ids.js';
import { isPushText, lineTimeZoned } from './textInput.js';
import { isRelayOwnAnswer } from './relayAnswers.js';
import { LateAnswers } from './lateAnswers.js';
import { proseTime, type ProseTime } from '../paste/proseTime.js';
import { maskedWhy } from '../../facts/valueShape.js';

/** A line that is about pushing to APNs (so a bare "400" or "unexpected EOF" on it means something). */
const PUSH_CONTEXT = /push\.apple\.com|\bapns|apns-id|apns-topic|\bpush\b|nanopush|buford|pushy|apns2|gorush|node-apn|\bAPN\b|RoundTrip|GOAWAY|\bxapsd\b/i;
/** Lines from MDM servers, or about MDM topics: their APNs answers are MDM evidence, not app evidence. */
/** (nanopush, NanoMDM's pusher, words its error "push HTTP status: 403: APNs push error: …": an MDM push, whatever else the line holds.) */
const MDM_CONTEXT =
  /com\.apple\.mgmt\.|nanopush|nanomdm|micromdm|\bmdm\b|PushMagic|PushInfo|apple_mdm|\bfleetdm\b|\budid[=:]|\budid\s+[0-9A-F]{8}-|\bid_first=|\benrollment_?id\b|component=apns\b.*\bmethod=Push\b|\bdevice_udid=|\brequest_type=[A-Z]|\bpush HTTP status: \d{3}\b/i;
/** File names of MicroMDM's and NanoMDM's logs and tools' output. */
const MDM_TOOL_FILE = /micromdm|nanomdm|mdmctl|send_push_notification/i;
/** A device's UDID named in a person's words ("for UDID 00008120-…"). */
const STATED_UDID = /\budid\s*[:=]?\s*([0-9A-F]{8}-[0-9A-F]{16}|[0-9A-F]{40}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})\b/i;

/** A device id a server's log line names (NanoMDM's id=, MicroMDM's udid=, Jamf's "UDID: …"), never an apns-id. */
const DEVICE_ON_LINE = /(?<![\w-])(?:udid|id_?first|enrollment_?id|device_?id|host_?uuid|id)"?\s*[=:]\s*"?([A-Za-z0-9][A-Za-z0-9:._@-]{7,199})/gi;

/**
 * The device token an app provider's line names (token=…, device_token, "for token <token>", /3/device/<token>, node-apn's
 * failed entry `device: '<token>'`, gorush's `ios [<token>]`, Braze's "sending error to <token>"): 64 hex
 * digits, whole.
 */
/** A request to APNs's device path (its method before it, or a URL's host): the token the push goes to. */
const REQUEST_PATH_TOKEN =
  /(?:\b(?:POST|PUT)\s+(?:https:\/\/[\w.-]+(?::\d+)?)?|https:\/\/api(?:\.sandbox|\.development)?\.push\.apple\.com(?::\d+)?)\/3\/device\/([0-9A-Fa-f]{64})(?![0-9A-Fa-f])/;
const TOKEN_ON_LINE =
  /(?:\/3\/device\/|\b(?:device(?:[_-]?token)?|token)["']?\s*[=:]\s*["']?|\btoken |\bios \[|\bsending error to )([0-9A-Fa-f]{64})(?![0-9A-Fa-f])/i;

/** The same, masked in its middle (`token=9a4c2e7f…7d9e0f`, `9a4c...9e0f`, `9a4c****9e0f`): its two ends. */
const MASKED_TOKEN_ON_LINE =
  /(?:\/3\/device\/|\b(?:device(?:[_-]?token)?|token)["']?\s*[=:]\s*["']?|\btoken |\bios \[|\bsending error to )([0-9A-Fa-f]{4,40})(?:…|\.{2,3}|\*{2,})([0-9A-Fa-f]{4,40})(?![0-9A-Fa-f])/i;

/**
 * A device token the line hides whole (`token=****`, `device_token=[REDACTED]`, `token=<redacted>`,
 * `token=xxxxxxxx`): nothing of it is left to tell one device from another. Not a provider's own token (JWT).
 */
const HIDDEN_TOKEN_ON_LINE = /(?<!(?:provider|auth|bearer|access|jwt|api)[\s_-]?)\b(?:device(?:[_-]?token)?|token)["']?\s*[=:]\s*["']?([^\s"',;}]+)/gi;

/** The hidden token on a line, as the line wrote it. */
function hiddenTokenOnLine(text: string): string | undefined {
  for (const m of text.matchAll(HIDDEN_TOKEN_ON_LINE)) if (maskedWhy(m[1]) && !/[0-9A-Fa-f]{8}/.test(m[1])) return m[1];
  return undefined;
}

/** A masked token on a line, as `<first>…<last>` in lower case. */
function maskedTokenOnLine(text: string): string | undefined {
  const m = MASKED_TOKEN_ON_LINE.exec(text);
  return m ? `${m[1]}…${m[2]}`.toLowerCase() : undefined;
}

/**
 * A device id the line masked in its middle (`id=00008110-…801E`, `udid=00008110-****-801E`, `00008110-XXXX…801E`):
 * kept as `<first>…<last>` (a masked device id, facts/maskedId.ts), never cut to its first part as an id of its own.
 */
const MASKED_DEVICE_ON_LINE =
  /(?<![\w-])(?:udid|id_?first|enrollment_?id|device_?id|host_?uuid|id)"?\s*[=:]\s*"?([0-9A-Fa-f]{4,}(?:-[0-9A-Fa-f]+)*-?)(?:-?(?:…|\.{2,3}|\*{2,}|X{2,}))+-?([0-9A-Fa-f]{4,})(?![\w-])/i;

function deviceOnLine(text: string, apnsId: string | undefined): string | undefined {
  const masked = MASKED_DEVICE_ON_LINE.exec(text);
  if (masked) return `${masked[1]}…${masked[2]}`.toUpperCase();
  for (const m of text.matchAll(DEVICE_ON_LINE)) {
    const id = m[1].replace(/[.:]+$/, '');
    if (isPlausibleId(id) && id.toLowerCase() !== apnsId?.toLowerCase()) return id;
  }
  return undefined;
}

/**
 * Everything the matchers can use, as one alternation: reason names and their snake_case and
 * phrase forms, statuses, TLS and connection failures, legacy-interface words, apns headers.
 */
const WORTH_A_LOOK = new RegExp(
  `reason|${REASON_PATTERN}|_token|_topic|_certificate|_payload|unregistered|forbidden|shutdown|too_many|status|http|code|returned|response|` +
    'tls|ssl|x509|handshake|certificate|eof|decrypt|revoked|timeout|timed out|refused|enotfound|eai_again|no such host|getaddrinfo|unreachable|' +
    'gateway|219[5-7]|binary|enhanced|error|apns|push|goaway|debug=|timestamp|inactive|device token|topic header|environment|too large',
  'i',
);

/**
 * An MDM server's logfmt status of a command (NanoMDM's `status=NotNow`, `status=Acknowledged`, `status=Idle`):
 * the device's answer to the server, never an APNs answer. Error statuses are left to the full reading.
 */
const COMMAND_STATUSES = ['NotNow', 'Acknowledged', 'Idle'];

/** A letter, digit, "_", "-" or ".": what may not stand right before `status=` or right after its value. */
function inWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}

/** Where the line's first `status=` starts and its command-status value ends, when the value is one. */
function commandStatusAt(text: string): [number, number] | undefined {
  const at = text.indexOf('status=');
  if (at < 0 || (at > 0 && inWord(text.charCodeAt(at - 1)))) return undefined;
  for (const s of COMMAND_STATUSES) {
    const end = at + 7 + s.length;
    if (text.startsWith(s, at + 7) && (end === text.length || !inWord(text.charCodeAt(end)))) return [at, end];
  }
  return undefined;
}

/** What the matchers read on a line beyond WORTH_A_LOOK: the server's own API (isServerApi), Azure's Apple phrase. */
const OTHER_SIGNS = /apple|mdmctl|enqueue|api|endpoint/i;
/** snake_case words, as answerOnLine reads them for reasons, and the reasons they name without their underscores (reasonFromSnake). */
const SNAKE_WORD = /\b[a-z]+(?:_[a-z]+){1,5}\b/g;
const SNAKE_REASONS = new Set(APNS_REASONS.map((x) => x.reason.toLowerCase()));

/**
 * Whether a line's only word worth a look is a command status (half a million NotNow lines in a busy
 * NanoMDM log): nothing else on it is something the matchers below read, so it cannot be, or be part of,
 * an APNs answer, a header, a host, a connection or TLS failure, or the server's own API.
 */
function onlyCommandStatus(text: string): boolean {
  const status = commandStatusAt(text);
  if (!status) return false;
  if (WORTH_A_LOOK.test(text.slice(0, status[0])) || WORTH_A_LOOK.test(text.slice(status[1])) || OTHER_SIGNS.test(text)) return false;
  SNAKE_WORD.lastIndex = 0;
  for (let w = SNAKE_WORD.exec(text); w; w = SNAKE_WORD.exec(text)) if (SNAKE_REASONS.has(w[0].replace(/_/g, ''))) return false;
  return true;
}

const TOPIC = /apns-topic["'\s:=]+([A-Za-z0-9][A-Za-z0-9.\-_]*)/i;
const PUSH_TYPE = /apns-push-type["'\s:=]+([a-z]+)/i;
const CONNECT =
  /i\/o timeout|ETIMEDOUT|timed out|ECONNREFUSED|connection refused|ENOTFOUND|EAI_AGAIN|no such host|getaddrinfo|Name or service not known|ENETUNREACH|network is unreachable/i;
const LEGACY_CONTEXT = /gateway\.(?:sandbox\.)?push\.apple\.com|:2195\b|binary (?:interface|protocol)|enhanced (?:format|notification)|error[- ]response/i;
/**
 * A retired binary interface's status told with its own meaning, as services relaying it logged it
 * (Amazon SNS: "Status code: 8 - Invalid token"): the number alone could be anything, the pair is APNs's.
 */
const LEGACY_SAID = /\bstatus(?: ?code)?\s*[:=]?\s*(\d{1,2})\s*[-–:]\s*([A-Za-z][A-Za-z ]{2,30})/i;
function isLegacyStatusSaid(text: string): boolean {
  const m = LEGACY_SAID.exec(text);
  if (!m) return false;
  const said = m[2]!.trim().toLowerCase();
  return LEGACY_STATUSES.some((s) => s.code === Number(m[1]) && s.code !== 0 && said.startsWith(s.meaning.toLowerCase()));
}
/** The lines of one answer (curl -v prints the status and the reason apart) lie at most this far apart. */
const ANSWER_SPAN = 6;
/** Answers kept whole; those after them are kept per token and kind of answer (lateAnswers.ts). */
const MAX_RESPONSES = 5000;

/** One line as the reader sees it: what it is about, who wrote it, when, and which APNs hosts it names. */
interface LineView {
  text: string;
  /** A person's message is judged by the sentence that reports the answer. */
  clause: string;
  context: boolean;
  mdm: boolean;
  shape: LineShape;
  hedged: boolean;
  at?: string;
  zone?: string;
  spoken?: ProseTime;
  hosts: HostMention[];
  /** Set before the line is judged (see AnswerLine). */
  serverApiOnly: boolean;
  legacy: boolean;
}

/**
 * APNs answers as people paste them and as providers and MDM servers log
 * them: HTTP/2 status plus {"reason": …}, apns-id, GOAWAY debug data,
 * library log lines, TLS failures, the endpoint host, and the retired binary
 * interface's status byte. A status and a reason a few lines apart (curl -v
 * output) are one answer.
 */
export const apnsResponseReader: LineReader = {
  id: 'apns.responses',
  kind: 'lines',
  accepts: isPushText,
  open: (item: Item) => new ResponseScan(item),
};

class ResponseScan implements LineSink {
  private readonly facts: Fact[] = [];
  /** The topic and push type of each request, folded as read: a provider may log them on every push line. */
  private readonly headers = new FactFolder();
  private pending: PendingAnswer | undefined;
  private readonly hosts = new Map<string, HostSeen>();
  private readonly tls = new Map<string, TlsSeen>();
  private legacy = false;
  private mdmItem = false;
  /** A request to (or answer from) the MDM server's own push API was seen. */
  private serverApi = false;
  private responses = 0;
  /** The answers after the first MAX_RESPONSES: the first and newest of each kind per token. */
  private readonly late = new LateAnswers();
  /** The apns-collapse-id of the latest request line that named one, waiting for its answer. */
  private collapse: { id: string; line: number; token?: string } | undefined;
  /** The device token of the latest request line (`POST /3/device/<token>`: curl -v, .NET), waiting for its answer. */
  private request: { token: string; line: number } | undefined;
  /** A line of this input was a program's (a log line): Apple's phrase alone on a later line is its output too. */
  private logLines = false;

  /**
   * The output of an MDM server's tool, or its log, named for it (MicroMDM's send_push_notification prints only
   * the push API's answer, with nothing in it that says MDM): its TLS failures are the MDM server's.
   */
  private readonly mdmByName: boolean;

  constructor(private readonly item: Item) {
    this.mdmByName = MDM_TOOL_FILE.test(itemName(item));
  }

  line(text: string, n: number): void {
    // Lines may come in any order (a newest-first export read oldest first): the distance either way.
    if (this.pending && Math.abs(n - this.pending.line) > ANSWER_SPAN) this.flush();
    const l = this.view(text, n);
    if (!l) return;
    this.headerFacts(l, n);
    // The MDM server's own storage has no TokenUpdate for the device: it sent nothing to APNs.
    if (isNoPushInfo(text)) {
      const udid = idOnLine(text);
      // A short id is named as the server's own (device_id), never as a UDID.
      const short = udid ? undefined : shortIdOnLine(text);
      const { at, zone } = l;
      this.facts.push({
        name: 'server.push_info_missing',
        value: at ?? 'unknown',
        source: sourceOf(this.item, n),
        ...(at ? { at } : {}),
        attrs: { ...(udid ? { udid } : {}), ...(short ? { device_id: short } : {}), ...(zone ? { zone } : {}) },
      });
      this.mdmItem = true;
      return;
    }
    if (isServerApi(text)) this.serverApi = true;
    this.connectionFailures(l, n);
    // Set on the view rather than spread into a copy: a copy per line of a busy log went to V8's old space.
    l.serverApiOnly = this.serverApi && !this.hosts.size;
    l.legacy = this.legacy;
    const part = answerOnLine(l);
    if (part) this.addPart(part, l, n);
    else this.requestLine(l.text, n);
  }

  /**
   * A request line that names its apns-collapse-id (a library logging the notification before it sends it): the
   * id belongs to the answer that follows within a few lines, to the same device token when either line names one.
   */
  private requestLine(text: string, n: number): void {
    const path = REQUEST_PATH_TOKEN.exec(text)?.[1]?.toLowerCase();
    if (path) this.request = { token: path, line: n };
    const id = collapseIdOnLine(text);
    if (!id) return;
    this.flush();
    const token = TOKEN_ON_LINE.exec(text)?.[1]?.toLowerCase();
    this.collapse = { id, line: n, ...(token ? { token } : {}) };
  }

  end(): ReadResult {
    this.flush();
    const late = this.late.result();
    for (const f of late.facts) this.facts.push(f);
    settleAnswers(this.facts, this.hosts, this.mdmItem);
    const facts = [
      ...this.facts,
      ...this.headers.facts(),
      ...endpointFacts(this.hosts, this.item),
      ...tlsFacts(this.tls, this.mdmItem || this.mdmByName, this.item),
    ];
    const problems: Problem[] = [];
    if (this.late.count)
      problems.push(
        problemOf(
          this.item,
          'apns.responses_truncated',
          `holds ${this.responses} APNs answers; the first ${MAX_RESPONSES} were kept whole, and of the ${this.late.count} after them ` +
            `the first and newest of each kind of answer per device token (${late.facts.length} kept; set aside: ${late.aside})`,
        ),
      );
    return { facts, problems };
  }

  /** The line's context, shape and time, or undefined for a line that cannot say anything about APNs. */
  private view(text: string, n: number): LineView | undefined {
    const context = PUSH_CONTEXT.test(text) || !!this.item.pasted;
    const mdm = MDM_CONTEXT.test(text);
    if (mdm) this.mdmItem = true;
    // Most lines of a big provider log say nothing about APNs: one cheap test before the many below.
    if (!context && !mdm && !this.pending && !WORTH_A_LOOK.test(text)) return undefined;
    // An MDM server's command status (every line of a NotNow storm): before the shape and time, which cost the most.
    if (!context && !this.pending && onlyCommandStatus(text)) return undefined;
    // Secure Mail's own log: its HTTP statuses are the Citrix listener's and Exchange's answers, not APNs' (seed 003).
    if (SECURE_MAIL_MODULE.test(text)) return undefined;
    // A push relay's own error (FCM's, OneSignal's API): its status is the relay's answer to the server, not APNs's.
    if (isRelayOwnAnswer(text)) return undefined;
    // Apple's own description of a reason alone on a line of a log file (one whose other lines are a program's)
    // is the server's output, not a person's words; in a file of notes it stays a sentence.
    let shape = lineShape(text);
    if (shape === 'log') this.logLines = true;
    else if (this.logLines && !this.item.pasted && isApplePhraseLine(text)) shape = 'log';
    const clause = shape === 'prose' ? answerClause(text) : text;
    // Programs write "could not send" without hedging; only a person's lines are checked for it.
    const hedged = shape !== 'log' && isHedged(clause);
    const stamped = lineTimeZoned(text);
    const spoken = !stamped && this.item.pasted ? proseTime(text) : undefined;
    const hosts = /push\.apple\.com/i.test(text) ? hostsIn(text).filter((h) => !h.courier) : [];
    for (const h of hosts) {
      if (!this.hosts.has(h.host)) this.hosts.set(h.host, { environment: h.environment, ...(h.port ? { port: h.port } : {}), line: n });
      if (/^gateway\./.test(h.host) || h.port === '2195') this.legacy = true;
    }
    if (LEGACY_CONTEXT.test(text) || isLegacyStatusSaid(text)) this.legacy = true;
    return {
      text,
      clause,
      context,
      mdm,
      shape,
      hedged,
      at: stamped?.at ?? spoken?.at,
      zone: stamped ? stamped.zone : spoken?.attrs.zone,
      spoken,
      hosts,
      serverApiOnly: false,
      legacy: false,
    };
  }

  /** The topic and push type a request names. */
  private headerFacts(l: LineView, n: number): void {
    const topic = l.text.match(TOPIC);
    // A provider log holds every app's pushes: the topic is kept with the token its line pushed to.
    const token = topic ? TOKEN_ON_LINE.exec(l.text)?.[1]?.toLowerCase() : undefined;
    if (topic && !topic[1].startsWith('com.apple.mgmt.'))
      this.headers.add({
        name: 'apns.topic',
        value: topic[1],
        source: sourceOf(this.item, n),
        ...(l.at ? { at: l.at } : {}),
        ...(token ? { attrs: { token } } : {}),
      });
    const pushType = l.text.match(PUSH_TYPE);
    if (pushType) this.headers.add({ name: 'apns.push_type', value: pushType[1].toLowerCase(), source: sourceOf(this.item, n) });
  }

  /** TLS failures (counted by kind) and connections to APNs that never opened. */
  private connectionFailures(l: LineView, n: number): void {
    const { text, at, zone, mdm, shape, hedged, context } = l;
    const host = l.hosts[0];
    for (const t of TLS_PATTERNS) {
      if (!t.pattern.test(text)) continue;
      if (!context && !/tls|ssl|x509|handshake/i.test(text)) break;
      // "Last year we had an expired certificate" is a memory, not a TLS alert.
      if (shape !== 'log' && (!isTechnicalTls(text) || (shape === 'prose' && hedged))) break;
      const prev = this.tls.get(t.kind);
      if (prev) prev.count++;
      else this.tls.set(t.kind, { line: n, ...(at ? { at } : {}), ...(at && zone ? { zone } : {}), mdm, count: 1, ...(host ? { host: host.host } : {}) });
      break;
    }
    if (
      context &&
      CONNECT.test(text) &&
      (l.hosts.length || /apns|push/i.test(text)) &&
      !/tls/i.test(text) &&
      (shape === 'log' || (isTechnicalConnect(text) && !(shape === 'prose' && hedged)))
    ) {
      const kind = /refused/i.test(text) ? 'refused' : /ENOTFOUND|EAI_AGAIN|no such host|getaddrinfo|Name or service/i.test(text) ? 'dns' : 'timeout';
      this.facts.push({
        name: mdm ? 'mdm.apns_connect_error' : 'apns.provider_connect_error',
        value: kind,
        source: sourceOf(this.item, n),
        ...(at ? { at } : {}),
        attrs: { ...(host ? { host: host.host } : {}), ...(at && zone ? { zone } : {}) },
      });
    }
  }

  /** Adds a line's part of an answer to the answer a few lines up, as curl -v prints them, or starts a new one. */
  private addPart(part: AnswerPart, l: LineView, n: number): void {
    const { reason, status, legacy, apnsId } = part;
    // A server log holds every device's pushes: an answer names the device its line names, and never joins another's.
    const udid = l.shape === 'prose' && this.item.pasted ? undefined : deviceOnLine(l.text, apnsId);
    const token = TOKEN_ON_LINE.exec(l.text)?.[1]?.toLowerCase();
    const masked = token ? undefined : maskedTokenOnLine(l.text);
    const hidden = token || masked ? undefined : hiddenTokenOnLine(l.text);
    const q = this.pending;
    const merge =
      q &&
      Math.abs(n - q.line) <= ANSWER_SPAN &&
      !(udid && q.udid && udid !== q.udid) &&
      !(token && q.token && token !== q.token) &&
      !(masked && q.tokenMasked && masked !== q.tokenMasked) &&
      // APNs answers 200 with no body: a reason is never the body of a push that went through.
      ((reason && !q.reason && (status === undefined || status === q.status) && q.status !== 200) ||
        // …but a line naming another push's apns-id starts that push's answer.
        (!reason && status === undefined && legacy === undefined && !(apnsId && q.apnsId && apnsId.toLowerCase() !== q.apnsId.toLowerCase())) ||
        (status !== undefined && q.status === undefined && !q.reason?.status));
    if (!merge) {
      this.flush();
      this.pending = { line: n, via: 'http2', mdm: l.mdm, context: l.context };
    }
    const p = this.pending!;
    if (udid && !p.udid) p.udid = udid;
    if (token && !p.token) p.token = token;
    // The request line just before (curl -v's `> POST /3/device/<token>`, a .NET client's request log) names the
    // device token its answer is for, when the answer's own lines name none.
    const r = this.request;
    if (r && n > r.line && n - r.line <= ANSWER_SPAN) {
      if (!p.token && !p.tokenMasked && !p.tokenHidden) p.token = r.token;
      this.request = undefined;
    }
    if (masked && !p.token && !p.tokenMasked) p.tokenMasked = masked;
    if (hidden && !p.token && !p.tokenMasked && !p.tokenHidden) p.tokenHidden = hidden;
    if (reason) p.reason = reason;
    if (part.via) p.via = part.via;
    if (status !== undefined) p.status = status;
    if (legacy !== undefined) {
      p.legacy = legacy;
      p.via = 'legacy';
    }
    if (apnsId) p.apnsId = apnsId;
    if (part.timestamp) p.timestamp = part.timestamp;
    if (part.collapseId) p.collapseId = part.collapseId;
    const c = this.collapse;
    if (c && !p.collapseId && Math.abs(n - c.line) <= ANSWER_SPAN && (!c.token || !p.token || c.token === p.token)) {
      p.collapseId = c.id;
      this.collapse = undefined;
    }
    const host = l.hosts[0];
    if (host && !p.host) {
      p.host = host.host;
      p.environment = host.environment;
    }
    if (l.at && !p.at) {
      p.at = l.at;
      if (l.zone) p.zone = l.zone;
    }
    if (l.spoken && !l.spoken.at && !p.time) {
      p.time = l.spoken.attrs.time;
      if (l.spoken.attrs.zone) p.zone = l.spoken.attrs.zone;
    }
    p.mdm ||= l.mdm;
    p.context ||= l.context;
    if (l.shape === 'prose' && this.item.pasted) {
      p.stated = true;
      const udid = STATED_UDID.exec(l.text)?.[1];
      if (udid && !p.udid) p.udid = udid;
    }
  }

  private flush(): void {
    const p = this.pending;
    this.pending = undefined;
    if (!p || !isAnswer(p)) return;
    if (++this.responses > MAX_RESPONSES) this.late.add(answerFact(p, this.item));
    else {
      const f = answerFact(p, this.item);
      this.late.whole(f);
      this.facts.push(f);
    }
  }
}
