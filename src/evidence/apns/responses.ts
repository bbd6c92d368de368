import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, sourceOf, type Item, type LineReader } from '../types.js';
import { SECURE_MAIL_MODULE } from '../securemail/names.js';
import { hostsIn, type ApnsEnvironment } from './hosts.js';
import { APNS_REASONS, LEGACY_STATUSES, REASON_PATTERN, TLS_PATTERNS, reasonFromSnake, reasonInfo, type ApnsReason } from './reasons.js';
import { answerClause, isAssertive, isHedged, isTechnicalConnect, isTechnicalTls, lineShape, type LineShape } from './answerShape.js';
import { idOnLine, isNoPushInfo, isServerApi } from './serverApi.js';
import { isPushText, lineTimeZoned } from './text.js';
import { proseTime } from '../paste/proseTime.js';

/** A line that is about pushing to APNs (so a bare "400" or "unexpected EOF" on it means something). */
const PUSH_CONTEXT = /push\.apple\.com|\bapns|apns-id|apns-topic|\bpush\b|nanopush|buford|pushy|apns2|gorush|node-apn|\bAPN\b|RoundTrip|GOAWAY/i;
/** Lines from MDM servers, or about MDM topics: their APNs answers are MDM evidence, not app evidence. */
const MDM_CONTEXT = /com\.apple\.mgmt\.|nanopush|nanomdm|micromdm|\bmdm\b|PushMagic|PushInfo|apple_mdm|\bfleetdm\b|\budid[=:]|\budid\s+[0-9A-F]{8}-|\bid_first=|\benrollment_?id\b|component=apns\b.*\bmethod=Push\b/i;
/** A device's UDID named in a person's words ("for UDID 00008120-…"). */
const STATED_UDID = /\budid\s*[:=]?\s*([0-9A-F]{8}-[0-9A-F]{16}|[0-9A-F]{40}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})\b/i;

/**
 * Everything the matchers below can use, as one alternation: reason names and their snake_case and
 * phrase forms, statuses, TLS and connection failures, legacy-interface words, apns headers.
 */
const WORTH_A_LOOK = new RegExp(
  `reason|${REASON_PATTERN}|_token|_topic|_certificate|_payload|unregistered|forbidden|shutdown|too_many|status|http|code|returned|response|` +
    'tls|ssl|x509|handshake|certificate|eof|decrypt|revoked|timeout|timed out|refused|enotfound|eai_again|no such host|getaddrinfo|unreachable|' +
    'gateway|219[5-7]|binary|enhanced|error|apns|push|goaway|debug=|timestamp|inactive|device token|topic header|environment|too large',
  'i',
);

const STATUSES = new Set([200, 400, 403, 404, 405, 410, 413, 429, 500, 503]);
/** Reasons that are ordinary English or HTTP words: only trusted as a JSON reason or next to their status. */
const GENERIC = new Set(['Forbidden', 'Shutdown', 'Unregistered', 'InternalServerError', 'ServiceUnavailable', 'MethodNotAllowed', 'TooManyRequests', 'BadPath', 'IdleTimeout', 'BadCertificate', 'PayloadEmpty']);

// No leading `\\*`: it adds nothing to an unanchored match, and retried at every backslash of a
// long run it is quadratic. The escapes after "reason are kept (JSON quoted inside a log string).
const JSON_REASON = /"reason\\*"\s*:\s*\\*"([A-Za-z]+)\\*"/;
const BARE_REASON = new RegExp(`\\b(${REASON_PATTERN})\\b`);
const STATUS_THEN_REASON = new RegExp(`\\b(\\d{3})\\b\\s*[:\\-(]?\\s*(?:APNs push error:\\s*)?(${REASON_PATTERN})\\b`);
const STATUS = /(?:HTTP\/2(?:\.0)?|:status|status(?:[ _-]?code)?|HTTP status|error[ _-]?code|returned(?: HTTP)?|response(?: code)?|code)["'\s:=]*\(?\s*(\d{3})\b/i;
const SNAKE = /:?\b([a-z]+(?:_[a-z]+){1,5})\b/g;
const APNS_ID = /apns-id["'\s:=]+([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/i;
const TIMESTAMP = /timestamp\\*"?\s*[:=]?\s*(\d{10,13})\b/i;
const TOPIC = /apns-topic["'\s:=]+([A-Za-z0-9][A-Za-z0-9.\-_]*)/i;
const PUSH_TYPE = /apns-push-type["'\s:=]+([a-z]+)/i;
const CONNECT = /i\/o timeout|ETIMEDOUT|timed out|ECONNREFUSED|connection refused|ENOTFOUND|EAI_AGAIN|no such host|getaddrinfo|Name or service not known|ENETUNREACH|network is unreachable/i;

/** Phrases libraries print instead of the reason (Apple's descriptions, as apns2 and buford word them). */
const PHRASES: [RegExp, string][] = [
  [/device token is inactive for the specified topic/i, 'Unregistered'],
  [/specified device token was bad/i, 'BadDeviceToken'],
  [/device token does not match the specified topic/i, 'DeviceTokenNotForTopic'],
  [/Topic header of the request was not specified and was required/i, 'MissingTopic'],
  [/client certificate was for the wrong environment/i, 'BadCertificateEnvironment'],
  [/device token has expired/i, 'ExpiredToken'],
  [/message payload was too large/i, 'PayloadTooLarge'],
];

const LEGACY_CONTEXT = /gateway\.(?:sandbox\.)?push\.apple\.com|:2195\b|binary (?:interface|protocol)|enhanced (?:format|notification)|error[- ]response/i;
const LEGACY_STATUS = /status(?:[ _-]?code)?["'\s:=]*\(?(\d{1,3})\b/i;

interface Pending {
  line: number;
  status?: number;
  reason?: ApnsReason;
  legacy?: number;
  apnsId?: string;
  timestamp?: string;
  via: 'http2' | 'goaway' | 'legacy';
  host?: string;
  environment?: ApnsEnvironment;
  at?: string;
  /** Zone of a time written without one ("unknown") or with an offset ("+01:00"); absent for UTC. */
  zone?: string;
  /** A pasted time without a date ("at 09:05"). */
  time?: string;
  mdm: boolean;
  context: boolean;
  /** Told by a person in words ("APNs returned 200 at 09:05"), not logged by a program. */
  stated?: boolean;
  udid?: string;
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
    if (info) return { reason: info, ...(/GOAWAY|Debug=/i.test(line) ? { via: 'goaway' as const } : {}) };
  }
  const paired = line.match(STATUS_THEN_REASON);
  if (paired && (shape !== 'prose' || isAssertive(line))) {
    const info = reasonInfo(paired[2]);
    if (info && Number(paired[1]) === info.status && (!GENERIC.has(info.reason) || context)) return { reason: info, status: info.status };
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
  open(item: Item) {
    const facts: Fact[] = [];
    const problems: Problem[] = [];
    let pending: Pending | undefined;
    const hosts = new Map<string, { environment: ApnsEnvironment; port?: string; line: number }>();
    const tls = new Map<string, { line: number; at?: string; zone?: string; mdm: boolean; count: number; host?: string }>();
    let legacy = false;
    let mdmItem = false;
    /** A request to (or answer from) the MDM server's own push API was seen. */
    let serverApi = false;
    let responses = 0;
    const MAX_RESPONSES = 5000;

    const flush = () => {
      const p = pending;
      pending = undefined;
      if (!p) return;
      if (!p.reason && p.legacy === undefined && (p.status === undefined || !p.context)) return;
      if (++responses > MAX_RESPONSES) return;
      const reason = p.reason;
      const status = p.status ?? reason?.status;
      const legacyInfo = p.legacy !== undefined ? LEGACY_STATUSES.find((s) => s.code === p.legacy) : undefined;
      const value = reason?.reason ?? legacyInfo?.equivalent ?? (legacyInfo ? `legacy status ${legacyInfo.code}` : String(status));
      const attrs: Record<string, string> = { via: p.via };
      if (status !== undefined) attrs.status = String(status);
      if (reason) attrs.reason = reason.reason;
      const klass = reason?.class ?? legacyInfo?.class ?? (status === 200 ? undefined : undefined);
      if (klass) attrs.class = klass;
      if (legacyInfo) {
        attrs.legacy_status = String(legacyInfo.code);
        attrs.meaning = legacyInfo.meaning;
      }
      if (p.apnsId) attrs.apns_id = p.apnsId.toLowerCase();
      if (p.timestamp) attrs.timestamp = p.timestamp;
      if (p.host) attrs.host = p.host;
      if (p.environment) attrs.environment = p.environment;
      if (p.time) attrs.time = p.time;
      if (p.zone) attrs.zone = p.zone;
      if (p.stated) attrs.stated = 'words';
      if (p.udid) attrs.udid = p.udid;
      facts.push({ name: p.mdm ? 'mdm.apns_response' : 'apns.response', value, source: sourceOf(item, p.line), ...(p.at ? { at: p.at } : {}), attrs });
    };

    return {
      line(text, n) {
        if (pending && n - pending.line > 6) flush();
        const context = PUSH_CONTEXT.test(text) || !!item.pasted;
        const mdm = MDM_CONTEXT.test(text);
        if (mdm) mdmItem = true;
        // Most lines of a big provider log say nothing about APNs: one cheap test before the many below.
        if (!context && !mdm && !pending && !WORTH_A_LOOK.test(text)) return;
        // Secure Mail's own log: its HTTP statuses are the Citrix listener's and Exchange's answers, not APNs' (seed 003).
        if (SECURE_MAIL_MODULE.test(text)) return;
        const shape = lineShape(text);
        // A person's message is judged by the sentence that reports the answer.
        const clause = shape === 'prose' ? answerClause(text) : text;
        // Programs write "could not send" without hedging; only a person's lines are checked for it.
        const hedged = shape !== 'log' && isHedged(clause);
        const stamped = lineTimeZoned(text);
        const spoken = !stamped && item.pasted ? proseTime(text) : undefined;
        const at = stamped?.at ?? spoken?.at;
        const zone = stamped ? stamped.zone : spoken?.attrs.zone;
        const lineHosts = /push\.apple\.com/i.test(text) ? hostsIn(text).filter((h) => !h.courier) : [];
        for (const h of lineHosts) {
          if (!hosts.has(h.host)) hosts.set(h.host, { environment: h.environment, ...(h.port ? { port: h.port } : {}), line: n });
          if (/^gateway\./.test(h.host) || h.port === '2195') legacy = true;
        }
        if (LEGACY_CONTEXT.test(text)) legacy = true;
        const host = lineHosts[0];

        const topic = text.match(TOPIC);
        if (topic && !topic[1].startsWith('com.apple.mgmt.'))
          facts.push({ name: 'apns.topic', value: topic[1], source: sourceOf(item, n), ...(at ? { at } : {}) });
        const pushType = text.match(PUSH_TYPE);
        if (pushType) facts.push({ name: 'apns.push_type', value: pushType[1].toLowerCase(), source: sourceOf(item, n) });

        // The MDM server's own storage has no TokenUpdate for the device: it sent nothing to APNs.
        if (isNoPushInfo(text)) {
          const udid = idOnLine(text);
          facts.push({ name: 'server.push_info_missing', value: at ?? 'unknown', source: sourceOf(item, n), ...(at ? { at } : {}), attrs: { ...(udid ? { udid } : {}), ...(zone ? { zone } : {}) } });
          mdmItem = true;
          return;
        }
        if (isServerApi(text)) serverApi = true;

        for (const t of TLS_PATTERNS) {
          if (!t.pattern.test(text)) continue;
          if (!context && !/tls|ssl|x509|handshake/i.test(text)) break;
          // "Last year we had an expired certificate" is a memory, not a TLS alert.
          if (shape !== 'log' && (!isTechnicalTls(text) || (shape === 'prose' && hedged))) break;
          const prev = tls.get(t.kind);
          if (prev) prev.count++;
          else tls.set(t.kind, { line: n, ...(at ? { at } : {}), ...(at && zone ? { zone } : {}), mdm, count: 1, ...(host ? { host: host.host } : {}) });
          break;
        }
        if (context && CONNECT.test(text) && (lineHosts.length || /apns|push/i.test(text)) && !/tls/i.test(text) && (shape === 'log' || (isTechnicalConnect(text) && !(shape === 'prose' && hedged)))) {
          const kind = /refused/i.test(text) ? 'refused' : /ENOTFOUND|EAI_AGAIN|no such host|getaddrinfo|Name or service/i.test(text) ? 'dns' : 'timeout';
          facts.push({ name: mdm ? 'mdm.apns_connect_error' : 'apns.provider_connect_error', value: kind, source: sourceOf(item, n), ...(at ? { at } : {}), attrs: { ...(host ? { host: host.host } : {}), ...(at && zone ? { zone } : {}) } });
        }

        const found = findReason(clause, context, shape, hedged);
        // A bare status is an answer when a program logged it, or when a person reports it ("APNs returned 200");
        // after a request to the MDM server's own API (and no APNs host), a bare status is that API's.
        const statusMatch = found.status === undefined && !hedged && (shape !== 'prose' || isAssertive(clause)) && !(serverApi && !hosts.size) ? clause.match(STATUS) : undefined;
        const status = found.status ?? (statusMatch && STATUSES.has(Number(statusMatch[1])) ? Number(statusMatch[1]) : undefined);
        const legacyMatch = legacy && !found.reason && status === undefined ? text.match(LEGACY_STATUS) : undefined;
        const legacyCode = legacyMatch && LEGACY_STATUSES.some((s) => s.code === Number(legacyMatch[1])) && Number(legacyMatch[1]) !== 0 ? Number(legacyMatch[1]) : undefined;
        const apnsId = text.match(APNS_ID)?.[1];
        const timestamp = text.match(TIMESTAMP)?.[1];

        if (!found.reason && status === undefined && legacyCode === undefined && !apnsId && !timestamp) return;
        const near = pending && n - pending.line <= 6;
        // Merge a reason (or id) into the status a few lines up, as curl -v prints them.
        const merge =
          near &&
          pending &&
          ((found.reason && !pending.reason && (status === undefined || status === pending.status)) ||
            // …but a line naming another push's apns-id starts that push's answer.
            (!found.reason && status === undefined && legacyCode === undefined && !(apnsId && pending.apnsId && apnsId.toLowerCase() !== pending.apnsId.toLowerCase())) ||
            (status !== undefined && pending.status === undefined && !pending.reason?.status));
        if (!merge) {
          flush();
          pending = { line: n, via: 'http2', mdm, context };
        }
        const p = pending!;
        if (found.reason) p.reason = found.reason;
        if (found.via) p.via = found.via;
        if (status !== undefined) p.status = status;
        if (legacyCode !== undefined) {
          p.legacy = legacyCode;
          p.via = 'legacy';
        }
        if (apnsId) p.apnsId = apnsId;
        if (timestamp) p.timestamp = timestamp;
        if (host && !p.host) {
          p.host = host.host;
          p.environment = host.environment;
        }
        if (at && !p.at) {
          p.at = at;
          if (zone) p.zone = zone;
        }
        if (spoken && !spoken.at && !p.time) {
          p.time = spoken.attrs.time;
          if (spoken.attrs.zone) p.zone = spoken.attrs.zone;
        }
        p.mdm ||= mdm;
        p.context ||= context;
        if (shape === 'prose' && item.pasted) {
          p.stated = true;
          const udid = STATED_UDID.exec(text)?.[1];
          if (udid && !p.udid) p.udid = udid;
        }
      },
      end() {
        flush();
        // One provider host in the whole input: the answers came from it.
        const provider = [...hosts.entries()];
        const single = new Set(provider.map(([, h]) => h.environment)).size === 1 ? provider[0]?.[1].environment : undefined;
        for (const f of facts) {
          if ((f.name === 'apns.response' || f.name === 'mdm.apns_response') && f.attrs && !f.attrs.environment && single) f.attrs.environment = single;
          // An input that is an MDM server's log makes all its answers MDM answers.
          if (mdmItem && f.name === 'apns.response') f.name = 'mdm.apns_response';
          if (mdmItem && f.name === 'apns.provider_connect_error') f.name = 'mdm.apns_connect_error';
        }
        for (const [host, h] of provider)
          facts.push({ name: 'apns.endpoint', value: h.environment, source: sourceOf(item, h.line), attrs: { host, ...(h.port ? { port: h.port } : {}) } });
        for (const [kind, t] of tls)
          facts.push({
            name: t.mdm || mdmItem ? 'mdm.apns_tls_error' : 'apns.tls_error',
            value: kind,
            source: sourceOf(item, t.line),
            ...(t.at ? { at: t.at } : {}),
            attrs: { lines: String(t.count), ...(t.host ? { host: t.host } : {}), ...(t.zone ? { zone: t.zone } : {}) },
          });
        if (responses > MAX_RESPONSES)
          problems.push(problemOf(item, 'apns.responses_truncated', `holds ${responses} APNs answers; the first ${MAX_RESPONSES} were kept`));
        return { facts, problems };
      },
    };
  },
};

export { APNS_REASONS };
