import type { Fact } from '../../facts/schema.js';
import { problemOf, sourceOf, type Item, type LineReader, type LineSink, type ReadResult } from '../types.js';
import { ENROLLMENT_TYPES, enrollmentOf, isPlausibleId, splitEnrollmentId, type Enrollment } from './ids.js';
import { CHECKIN_NEEDLES, CHECKIN_WORDS, lastCheckinOf } from './lastCheckin.js';
import { lineTime } from './lineTime.js';
import { parseLine, type LogRecord } from './logfmt.js';
import { ConnectionTracker } from '../../facts/connections.js';
import { isInSysdiagnose } from '../sysdiagnose.js';
import { judgeValue, unusableValueFact } from '../../facts/valueShape.js';
import {
  CHECKINS,
  clip,
  INTERESTING,
  looksLikeServerLog,
  MAYBE,
  MDM_SERVER_LINE,
  micromdmIdOf,
  plainMessage,
  PUSH_ID_KEYS,
  REQUEST_TYPE,
  STATUSES,
  UUIDISH,
} from './serverLogWords.js';

/**
 * MDM server logs: NanoMDM (logfmt, both Go-log-prefixed and NanoLIB's
 * `ts=` form), MicroMDM (go-kit logfmt, its early "connected udid=… type=…,
 * status=…" lines, webhook events one per line), and servers that log the
 * same keys as JSON (Fleet) or as plain "udid=… command=… status=…".
 */

interface Pending {
  name: string;
  value: Fact['value'];
  line: number;
  at?: string;
  attrs: Record<string, string>;
}

/** Keys naming the same device another way, and the attribute each becomes when a line has more than one. */
const ALIAS_KEYS: [key: string, attr: string][] = [
  ['udid', 'udid'],
  ['enrollmentid', 'enrollment_id'],
  ['deviceid', 'device_id'],
];

/** Keys some servers log a device's serial number under. */
const SERIAL_KEYS = ['serial', 'serialnumber', 'deviceserial', 'hardwareserial'];
const PLAUSIBLE_SERIAL = /^[A-Z0-9]{8,16}$/;

/** Lines without "=" or "{" fail MAYBE and are ignored: a feeder may skip them undecoded. */
const PREFILTER = { needles: ['=', '{', ...CHECKIN_NEEDLES] };

class ServerLogSink implements LineSink {
  readonly prefilter = PREFILTER;
  private out: Pending[] = [];
  private requestTypes = new Map<string, string>();
  private tracker = new ConnectionTracker();
  /** Ids of the last push/enqueue API request: NanoMDM's "msg=push count=1" line does not repeat them. */
  private pendingPush?: { ids: string[]; trace?: string };
  private unparsed = 0;
  private firstUnparsed = 0;
  private seen = 0;
  /** Whether some line was unmistakably an MDM server's (so finding nothing is worth saying). */
  private mdmServer = false;

  constructor(private readonly item: Item) {}

  line(text: string, n: number): void {
    if (CHECKIN_WORDS.test(text) && this.lastCheckin(text, n)) return;
    if (!MAYBE.test(text)) return;
    if (!INTERESTING.test(text)) {
      if (!this.mdmServer && /\bpath=\/(?:mdm|checkin)\b|\bservice=(?:nanomdm|certauth)\b/.test(text)) this.mdmServer = true;
      return;
    }
    let rec: LogRecord | null;
    try {
      rec = parseLine(text);
    } catch {
      rec = null;
    }
    if (!rec || rec.fields.size === 0) return;
    this.take(rec, text, n);
  }

  /** The zone of the line being read, stamped on every fact it yields (see facts/time.ts). */
  private zone?: string;
  /** Serial number on the line being read, if the server logs one. */
  private serial?: string;

  /** Other names of the device on the line being read (its UDID beside the server's own id): they join into one device. */
  private aliases: Record<string, string> = {};

  private push(p: Pending): void {
    if (this.zone) p.attrs.zone = this.zone;
    if (this.serial && !p.attrs.serial) p.attrs.serial = this.serial;
    // A line about several devices (a push API call naming many) carries no alias for any one of them.
    if (p.attrs.udid && (p.attrs.udid === this.aliases.udid || p.attrs.udid === this.aliases.enrollment_id || p.attrs.udid === this.aliases.device_id))
      for (const [k, v] of Object.entries(this.aliases)) if (!p.attrs[k]) p.attrs[k] = v;
    p.attrs = this.shared(p.attrs);
    this.out.push(p);
    this.seen++;
  }

  /** Attribute values held as strings of their own: a slice of a log line keeps the whole line alive. */
  private readonly strings = new Map<string, string>();
  private last?: Record<string, string>;

  /**
   * What a busy log's lines say again and again (the same device, connection
   * and command) is held once: the values as their own strings, and the whole
   * set when it matches the previous line's. Half a million status lines then
   * hold neither their lines nor half a million copies of them.
   */
  private shared(attrs: Record<string, string>): Record<string, string> {
    let same = this.last !== undefined;
    let n = 0;
    for (const k in attrs) {
      attrs[k] = this.own(attrs[k]);
      n++;
      if (same && this.last![k] !== attrs[k]) same = false;
    }
    if (same) {
      let m = 0;
      for (const _ in this.last) m++;
      if (m === n) return this.last!;
    }
    this.last = attrs;
    return attrs;
  }

  private own(v: string): string {
    let k = this.strings.get(v);
    if (k === undefined) {
      k = v.length < 13 ? v : `${v} `.slice(0, -1);
      // Bounded: a log of only distinct values costs what it did before.
      if (this.strings.size < 50_000) this.strings.set(k, k);
    }
    return k;
  }

  private bad(n: number): void {
    this.unparsed++;
    if (!this.firstUnparsed) this.firstUnparsed = n;
  }

  private take(rec: LogRecord, raw: string, n: number): void {
    const f = rec.fields;
    const at = this.readLineContext(rec, raw);
    const msg = (f.get('msg') ?? f.get('message') ?? plainMessage(rec.prefix)).trim();
    const msgKey = msg.toLowerCase();
    const trace = f.get('traceid');
    if (!this.mdmServer && MDM_SERVER_LINE(f)) this.mdmServer = true;

    // An API request to push or enqueue names its targets in the path.
    const path = f.get('path');
    const api = path?.match(/\/v1\/(?:push|enqueue)\/([^?\s]+)/);
    if (api) this.pendingPush = { ids: api[1].split(',').filter(isPlausibleId), trace };

    this.learnRequestType(f);

    // 1. A command status the device reported.
    const status = STATUSES.get((f.get('status') ?? '').toLowerCase());
    if (status) return this.takeStatus(f, status, n, at);

    // 2. Check-in messages.
    const topic = (f.get('topic') ?? '').replace(/^mdm\./, '').toLowerCase();
    const checkin =
      CHECKINS[msgKey] ?? CHECKINS[(f.get('messagetype') ?? '').toLowerCase()] ?? (f.has('checkinevent') || CHECKINS[topic] ? CHECKINS[topic] : undefined);
    if (checkin) {
      const who = enrollmentOf(f);
      if (!who) return this.bad(n);
      return this.push({ name: checkin, value: true, line: n, at, attrs: this.who(who) });
    }

    // 3. The server's push topic, from its certificate.
    if (/push cert/i.test(msg) && f.get('topic')?.includes('.') && !f.get('err')) return this.takeCertificateTopic(f.get('topic')!, n, at);

    // 4. Pushes.
    const isPush =
      msgKey === 'push' ||
      msgKey === 'sending push' ||
      msgKey === 'pushed' ||
      (/\bpush(?:ed)?\b/i.test(msg) && !/cert|provider|token/i.test(msg) && PUSH_ID_KEYS.some((k) => f.has(k))) ||
      (f.get('method') === 'Push' && (f.get('component') === 'apns' || f.has('udid')));
    if (isPush) return this.takePush(f, n, at, trace, msgKey);

    // 5. Commands the server hands out, and the end of a connection.
    if (msgKey === 'command retrieved' || msgKey === 'command sent') return this.takeCommandSent(f, n, at);
    if (msgKey === 'no command retrieved') {
      const who = enrollmentOf(f);
      if (who) this.tracker.close(who.id);
    }
  }

  /** The line's time, zone, serial number and the other names of its device; returns the time. */
  private readLineContext(rec: LogRecord, raw: string): string | undefined {
    const f = rec.fields;
    const time = lineTime(rec, raw);
    this.zone = time?.zone;
    this.serial = undefined;
    this.aliases = {};
    for (const [key, attr] of ALIAS_KEYS) {
      const v = f.get(key)?.trim();
      if (v && isPlausibleId(v)) this.aliases[attr] = v;
    }
    for (const k of SERIAL_KEYS) {
      const v = f.get(k)?.trim().toUpperCase();
      if (v && PLAUSIBLE_SERIAL.test(v)) this.serial = v;
    }
    return time?.at;
  }

  private takeStatus(f: Map<string, string>, status: string, n: number, at: string | undefined): void {
    const who = enrollmentOf(f);
    if (!who) return this.bad(n);
    const explicit = f.get('connection') ?? f.get('connectionid') ?? f.get('connid') ?? f.get('session') ?? f.get('sessionid');
    const connection = explicit ? `${who.id}@${clip(explicit)}` : this.tracker.assign(who.id, status, at, n);
    const attrs = this.who(who);
    const uuid = this.commandUuid(f);
    if (uuid && status !== 'Idle') attrs.command_uuid = uuid;
    const rt = this.requestType(f);
    if (rt && status !== 'Idle') attrs.request_type = rt;
    attrs.connection = connection;
    this.push({ name: 'mdm.command.status', value: status, line: n, at, attrs });
  }

  private takeCertificateTopic(topic: string, n: number, at: string | undefined): void {
    const j = judgeValue('topic', topic);
    if (j.state !== 'masked' && j.state !== 'garbled') return this.push({ name: 'server.topic', value: topic, line: n, at, attrs: {} });
    // A masked or garbled topic is named, never compared (issue 8 item 2).
    const u = unusableValueFact('server.topic', 'topic', topic, j, sourceOf(this.item, n));
    this.push({ name: u.name, value: u.value, line: n, at, attrs: u.attrs ?? {} });
  }

  private takeCommandSent(f: Map<string, string>, n: number, at: string | undefined): void {
    const who = enrollmentOf(f);
    if (!who) return this.bad(n);
    const attrs = this.who(who);
    const uuid = this.commandUuid(f);
    if (uuid) attrs.command_uuid = uuid;
    const rt = this.requestType(f);
    if (rt) attrs.request_type = rt;
    const conn = this.tracker.current(who.id);
    if (conn) attrs.connection = conn;
    this.push({ name: 'notnow.command_sent', value: true, line: n, at, attrs });
  }

  private takePush(f: Map<string, string>, n: number, at: string | undefined, trace: string | undefined, msgKey: string): void {
    let ids: string[] = [];
    // Every key a server names a device by (Fleet's JSON lines say host_uuid), as for status lines.
    const direct = f.get('udid') ?? f.get('id') ?? f.get('idfirst') ?? f.get('deviceudid') ?? f.get('enrollmentid') ?? f.get('hostuuid') ?? f.get('deviceid');
    if (direct && isPlausibleId(direct)) ids = [direct];
    if (this.pendingPush && (!trace || !this.pendingPush.trace || trace === this.pendingPush.trace)) {
      const count = Number(f.get('idcount') ?? this.pendingPush.ids.length);
      if (!ids.length || (this.pendingPush.ids.includes(ids[0]) && count === this.pendingPush.ids.length)) ids = this.pendingPush.ids;
    }
    this.pendingPush = undefined;
    if (!ids.length) return this.bad(n);

    const err = f.get('err') ?? f.get('error');
    const failedErr = err !== undefined && err !== '' && err !== 'null' && err !== '<nil>';
    const errs = Number(f.get('errs') ?? 0);
    const count = f.has('count') ? Number(f.get('count')) : undefined;
    const http = f.get('status') ?? f.get('httpstatus') ?? f.get('statuscode') ?? err?.match(/\bstatus:? (\d{3})\b/)?.[1];
    // MicroMDM's push returns the apns-id only from an accepted push (its APNs client turns any other
    // answer into an error): an id with no error is APNs's 200. NanoMDM's "msg=push" line counts the
    // pushes that came back without an error (nanopush, too, makes every answer but 200 an error): every
    // id of the request counted and no error means APNs accepted each push.
    const nanoAccepted =
      msgKey === 'push' && !failedErr && errs === 0 && count !== undefined && count > 0 && count === ids.length && Number(f.get('idcount') ?? count) === count;
    const accepted = (micromdmIdOf(f) || nanoAccepted) && !failedErr ? 200 : undefined;
    const code = http && /^\d{3}$/.test(http) ? Number(http) : accepted;
    const failed = failedErr || errs > 0 || count === 0 || (code !== undefined && code >= 300);
    const apnsId = f.get('apnsid') ?? f.get('pushid') ?? f.get('pushnotificationid') ?? micromdmIdOf(f);
    const pushIdentity = this.pushIdentity(f, n, at);
    for (const id of ids) {
      const who = splitEnrollmentId(id);
      const attrs: Record<string, string> = { ...this.who(who), status: code !== undefined ? String(code) : failed ? 'failed' : 'sent' };
      if (apnsId) attrs.apns_id = clip(apnsId);
      if (failedErr) attrs.error = clip(err!);
      const rt = this.requestType(f);
      if (rt) attrs.request_type = rt;
      Object.assign(attrs, pushIdentity);
      this.pushedTo.add(who.udid);
      this.push({ name: 'server.push_sent', value: true, line: n, at, attrs });
      if (code !== undefined)
        this.push({ name: 'server.push_status', value: code, line: n, at, attrs: { ...this.who(who), ...(apnsId ? { apns_id: clip(apnsId) } : {}) } });
    }
  }

  /**
   * What a push line says of the push itself: its topic (the server's push topic, as from its certificate)
   * and whether it names the PushMagic or token it carried. The values of the last two stay out of the
   * facts (a log of many devices holds many); that they were there makes the push an MDM push.
   */
  private pushIdentity(f: Map<string, string>, n: number, at: string | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    const topic = f.get('topic') ?? f.get('pushtopic') ?? f.get('apnstopic');
    if (topic?.includes('.')) {
      this.takeCertificateTopic(topic, n, at);
      if (judgeValue('topic', topic).state === 'ok') out.topic = clip(topic);
    }
    const magic = f.get('pushmagic') ?? f.get('magic');
    const m = magic ? judgeValue('magic', magic) : undefined;
    if (m && m.state !== 'invalid') out.push_magic = 'logged';
    const token = f.get('pushtoken') ?? f.get('devicetoken') ?? f.get('token');
    const t = token ? judgeValue('token', token) : undefined;
    if (t && t.state !== 'invalid') out.push_token = 'logged';
    if (m?.state === 'ok' || t?.state === 'ok')
      this.lastIdentity = { n, ...(m?.state === 'ok' ? { magic: m.value } : {}), ...(t?.state === 'ok' ? { token: t.value } : {}) };
    return out;
  }

  /** The PushMagic and token of the latest push line that named them, and every device a push went to. */
  private lastIdentity?: { n: number; magic?: string; token?: string };
  private pushedTo = new Set<string>();

  /**
   * A log of one device's pushes says which PushMagic and token the server uses now: the latest push's
   * (an older line may be from before a TokenUpdate). With several devices nothing says which is the case's.
   */
  private pushedValues(): Fact[] {
    const last = this.lastIdentity;
    if (!last || this.pushedTo.size !== 1) return [];
    const source = sourceOf(this.item, last.n);
    const out: Fact[] = [];
    if (last.magic) out.push({ name: 'server.push_magic', value: last.magic, source, attrs: { udid: [...this.pushedTo][0] } });
    if (last.token) out.push({ name: 'server.push_token', value: last.token, source, attrs: { udid: [...this.pushedTo][0] } });
    return out;
  }

  /** The server's own record of the device's last check-in (Jamf Pro): a contact at that time, nothing about APNs. */
  private lastCheckin(text: string, n: number): boolean {
    const c = lastCheckinOf(text);
    if (!c) return false;
    const attrs: Record<string, string> = {};
    if (c.udid) attrs.udid = c.udid;
    if (c.serial) attrs.serial = c.serial;
    if (c.zone) attrs.zone = c.zone;
    // When the server wrote the line: the device had not checked in between the two times.
    const said = lineTime({ fields: new Map(), prefix: '', json: false }, text);
    if (said) {
      attrs.reported_at = said.at;
      if (said.zone) attrs.reported_zone = said.zone;
    }
    this.out.push({ name: 'server.device_last_checkin', value: c.at, line: n, at: c.at, attrs });
    this.seen++;
    return true;
  }

  private who(e: Enrollment): Record<string, string> {
    return { udid: e.udid, channel: e.channel, ...(e.user ? { user: e.user } : {}), ...(e.idKey === 'enrollmentid' ? { enrollment_id: e.udid } : {}) };
  }

  private commandUuid(f: Map<string, string>): string | undefined {
    const v = f.get('commanduuid') ?? f.get('cmduuid') ?? (UUIDISH.test(f.get('command') ?? '') ? f.get('command') : undefined);
    return v && v.length <= 100 ? v : undefined;
  }

  /** A RequestType named on the line. NanoMDM's `type=` is the enrollment type, MicroMDM's early `type=` the RequestType. */
  private requestType(f: Map<string, string>): string | undefined {
    const t = f.get('type');
    const candidates = [f.get('requesttype'), f.get('command'), t && !ENROLLMENT_TYPES.has(t.toLowerCase()) ? t : undefined];
    for (const c of candidates) if (c && REQUEST_TYPE.test(c) && !UUIDISH.test(c)) return c;
    const uuid = this.commandUuid(f);
    return uuid ? this.requestTypes.get(uuid) : undefined;
  }

  private learnRequestType(f: Map<string, string>): void {
    const uuid = this.commandUuid(f);
    const rt = f.get('requesttype');
    if (uuid && rt && REQUEST_TYPE.test(rt)) this.requestTypes.set(uuid, rt);
  }

  end(): ReadResult {
    const facts: Fact[] = this.out.map((p) => {
      // A status line seldom names its command's type; the enqueue or hand-out line earlier (or later) did.
      if (!p.attrs.request_type && p.attrs.command_uuid) {
        const rt = this.requestTypes.get(p.attrs.command_uuid);
        if (rt) p.attrs.request_type = rt;
      }
      return { name: p.name, value: p.value, source: sourceOf(this.item, p.line), ...(p.at ? { at: p.at } : {}), attrs: p.attrs };
    });
    facts.push(...this.pushedValues());
    const problems = [];
    if (this.unparsed)
      problems.push(
        problemOf(
          this.item,
          'mdmlog.incomplete_lines',
          `${this.unparsed} MDM server log line(s) (first at line ${this.firstUnparsed}) name a status, check-in or push but no device id; they were skipped`,
        ),
      );
    if (this.mdmServer && !this.seen && !this.unparsed)
      problems.push(
        problemOf(this.item, 'mdmlog.nothing_found', 'looks like an MDM server log, but holds no command status, check-in or push line pushcheck knows'),
      );
    return { facts, problems };
  }
}

export const mdmServerLogReader: LineReader = {
  id: 'notnow.mdm_server_log',
  kind: 'lines',
  accepts(name, head, item) {
    if (item.pasted) return true;
    // mdmd's own logs in a sysdiagnose have "mdm" in their names too, but no server ever writes there.
    if (isInSysdiagnose(item)) return false;
    const text = head.toString('utf8');
    if (looksLikeServerLog(text)) return true;
    // The head is only 512 bytes: a log that starts with other lines is still taken when its name says MDM.
    return /\.(?:log|txt|out|jsonl|ndjson)$/i.test(name) && /mdm|fleet|jamf|server|webhook/i.test(name);
  },
  open(item: Item) {
    return new ServerLogSink(item);
  },
};
