import { problemOf, sourceOf, type Item, type LineReader, type LineSink, type ReadResult } from '../types.js';
import { enrollmentOf, isPlausibleId, isServerDeviceId, splitEnrollmentId, type Enrollment } from './ids.js';
import { CHECKIN_NEEDLES, CHECKIN_WORDS, lastCheckinOf } from './lastCheckin.js';
import { lineTime } from './lineTime.js';
import { parseLine, type LogRecord } from './logfmt.js';
import { ServerLogFacts, type Observed } from './serverLogFacts.js';
import { PushIdentities, pushOutcome } from './serverLogPush.js';
import { Commands } from './serverLogCommands.js';
import { ConnectionTracker } from '../../facts/connections.js';
import { maskedIdOf } from '../../facts/maskedId.js';
import { isInSysdiagnose } from '../sysdiagnose.js';
import { judgeValue, unusableValueFact } from '../../facts/valueShape.js';
import { CHECKINS, clip, INTERESTING, looksLikeServerLog, MAYBE, MDM_SERVER_LINE, plainMessage, PUSH_ID_KEYS, STATUSES } from './serverLogWords.js';
import { isRelayOwnAnswer } from '../apns/relayAnswers.js';

/**
 * MDM server logs: NanoMDM (logfmt, both Go-log-prefixed and NanoLIB's
 * `ts=` form), MicroMDM (go-kit logfmt, its early "connected udid=… type=…,
 * status=…" lines, webhook events one per line), and servers that log the
 * same keys as JSON (Fleet) or as plain "udid=… command=… status=…".
 */

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
  private readonly commands = new Commands();
  private readonly out: ServerLogFacts;
  private tracker = new ConnectionTracker();
  /** Ids of the last push/enqueue API request: NanoMDM's "msg=push count=1" line does not repeat them. */
  private pendingPush?: { ids: string[]; trace?: string };
  private unparsed = 0;
  private firstUnparsed = 0;
  private seen = 0;
  /** Whether some line was unmistakably an MDM server's (so finding nothing is worth saying). */
  private mdmServer = false;

  constructor(private readonly item: Item) {
    this.out = new ServerLogFacts(item, this.commands.types);
  }

  line(text: string, n: number): void {
    if (CHECKIN_WORDS.test(text) && this.lastCheckin(text, n)) return;
    if (!MAYBE.test(text)) return;
    // A push relay's answer (Expo's `"status":"error"`) is no MDM server's line.
    if (text.includes('"status"') && isRelayOwnAnswer(text)) return;
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

  private push(p: Observed): void {
    if (this.zone) p.attrs.zone = this.zone;
    if (this.serial && !p.attrs.serial) p.attrs.serial = this.serial;
    // A line about several devices (a push API call naming many) carries no alias for any one of them.
    if (p.attrs.udid && (p.attrs.udid === this.aliases.udid || p.attrs.udid === this.aliases.enrollment_id || p.attrs.udid === this.aliases.device_id))
      for (const [k, v] of Object.entries(this.aliases)) if (!p.attrs[k]) p.attrs[k] = v;
    this.out.add(p);
    this.seen++;
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
    // With the access lines filtered out of a log, NanoMDM's enqueue line is what names the one device the push is for.
    else if (!this.pendingPush && msgKey === 'enqueue' && f.get('idcount') === '1' && isPlausibleId(f.get('idfirst') ?? ''))
      this.pendingPush = { ids: [f.get('idfirst')!], trace };

    this.commands.learn(f);

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
    if (/push cert/i.test(msg) && f.get('topic')?.includes('.') && !f.get('err'))
      return this.takeCertificateTopic(f.get('topic')!, n, at, this.pendingFor(trace));

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
      if (v && isServerDeviceId(key, v)) this.aliases[attr] = v;
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
    const uuid = this.commands.uuid(f);
    if (uuid && status !== 'Idle') attrs.command_uuid = uuid;
    const rt = this.commands.requestType(f);
    if (rt && status !== 'Idle') attrs.request_type = rt;
    attrs.connection = connection;
    this.push({ name: 'mdm.command.status', value: status, line: n, at, attrs });
  }

  /** The devices of the push request being served, when the line belongs to it (NanoMDM's topic line names none itself). */
  private pendingFor(trace: string | undefined): string[] | undefined {
    const p = this.pendingPush;
    return p && (!trace || !p.trace || trace === p.trace) && p.ids.length ? p.ids : undefined;
  }

  private takeCertificateTopic(topic: string, n: number, at: string | undefined, pushedTo?: readonly string[]): void {
    const j = judgeValue('topic', topic);
    // Which devices this push was on the topic for: a server with a certificate per group of devices pushes one group on
    // one topic and another on another, which a log read as a whole would take for a switch (facts/supersede.ts).
    const attrs: Record<string, string> = pushedTo?.length ? { pushed_to: pushedTo.join(',') } : {};
    if (j.state !== 'masked' && j.state !== 'garbled') return this.push({ name: 'server.topic', value: topic, line: n, at, attrs });
    // A masked or garbled topic is named, never compared (issue 8 item 2).
    const u = unusableValueFact('server.topic', 'topic', topic, j, sourceOf(this.item, n));
    this.push({ name: u.name, value: u.value, line: n, at, attrs: u.attrs ?? {} });
  }

  private takeCommandSent(f: Map<string, string>, n: number, at: string | undefined): void {
    const who = enrollmentOf(f);
    if (!who) return this.bad(n);
    const attrs = this.who(who);
    const uuid = this.commands.uuid(f);
    if (uuid) attrs.command_uuid = uuid;
    const rt = this.commands.requestType(f);
    if (rt) attrs.request_type = rt;
    const conn = this.tracker.current(who.id);
    if (conn) attrs.connection = conn;
    this.push({ name: 'notnow.command_sent', value: true, line: n, at, attrs });
  }

  private takePush(f: Map<string, string>, n: number, at: string | undefined, trace: string | undefined, msgKey: string): void {
    let ids: string[] = [];
    // Every key a server names a device by (Fleet's JSON lines say host_uuid), as for status lines.
    const direct = f.get('udid') ?? f.get('id') ?? f.get('idfirst') ?? f.get('deviceudid') ?? f.get('enrollmentid') ?? f.get('hostuuid') ?? f.get('deviceid');
    // A device id the log masked in its middle (`00008110-…801E`) is some device, matched later by its ends.
    const masked = direct ? maskedIdOf(direct) : undefined;
    if (masked) ids = [masked];
    else if (direct && isPlausibleId(direct)) ids = [direct];
    else if (direct && direct === f.get('deviceid') && isServerDeviceId('deviceid', direct)) ids = [direct];
    if (this.pendingPush && (!trace || !this.pendingPush.trace || trace === this.pendingPush.trace)) {
      const count = Number(f.get('idcount') ?? this.pendingPush.ids.length);
      if (!ids.length || (this.pendingPush.ids.includes(ids[0]) && count === this.pendingPush.ids.length)) ids = this.pendingPush.ids;
    }
    this.pendingPush = undefined;
    if (!ids.length) return this.bad(n);

    const { code, status, apnsId, error } = pushOutcome(f, ids.length, msgKey);
    const pushIdentity = this.pushIdentity(f, n, at, ids);
    for (const id of ids) {
      const who = splitEnrollmentId(id);
      const attrs: Record<string, string> = { ...this.who(who), status };
      if (apnsId) attrs.apns_id = apnsId;
      if (error) attrs.error = error;
      const rt = this.commands.requestType(f);
      if (rt) attrs.request_type = rt;
      Object.assign(attrs, pushIdentity);
      this.identities.pushedTo.add(who.udid);
      this.push({ name: 'server.push_sent', value: true, line: n, at, attrs });
      if (code !== undefined)
        this.push({ name: 'server.push_status', value: code, line: n, at, attrs: { ...this.who(who), ...(apnsId ? { apns_id: apnsId } : {}) } });
    }
  }

  /** What a push line says of the push itself (its topic, whether it named the PushMagic or token); the topic is also the server's. */
  private pushIdentity(f: Map<string, string>, n: number, at: string | undefined, ids: readonly string[]): Record<string, string> {
    const topic = f.get('topic') ?? f.get('pushtopic') ?? f.get('apnstopic');
    if (topic?.includes('.')) this.takeCertificateTopic(topic, n, at, ids);
    return this.identities.of(f, n, at, this.zone);
  }

  private readonly identities = new PushIdentities();

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
    this.out.add({ name: 'server.device_last_checkin', value: c.at, line: n, at: c.at, attrs });
    this.seen++;
    return true;
  }

  private who(e: Enrollment): Record<string, string> {
    return {
      udid: e.udid,
      channel: e.channel,
      ...(e.user ? { user: e.user } : {}),
      ...(e.idKey === 'enrollmentid' ? { enrollment_id: e.udid } : {}),
      // The server's own id, named as such: a short one (`device_id=A1`) names the device only under that name.
      ...(e.idKey === 'deviceid' ? { device_id: e.udid } : {}),
    };
  }

  end(): ReadResult {
    const facts = this.out.facts();
    for (const f of this.identities.values(this.item)) facts.push(f);
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
