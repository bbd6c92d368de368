import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { lineOf, momentOf, sourceKey, type Moment } from '../time.js';

/**
 * The pushes a server sent and the times devices reached it, grouped by
 * device. A log may hold many devices; a contact only ever answers a push to
 * the same device. Devices are named by whatever the evidence carries (UDID,
 * EnrollmentID, serial number, the server's device id), and two names on one
 * line are the same device.
 */

type Index = ReadonlyMap<string, readonly Fact[]>;

/** Attributes that name a device. `device` is the older spelling some callers use for the UDID. */
const ID_ATTRS = ['udid', 'device', 'enrollment_id', 'serial', 'device_id'] as const;

/** Facts that mean the device reached the MDM server, and how to say so. */
const CONTACTS: Record<string, (f: Fact) => string> = {
  'mdm.command.status': (f) =>
    `answered ${f.attrs?.request_type ? `${f.attrs.request_type} ` : ''}${String(f.value)}`.replace(/answered (\S+ )?Idle$/, 'polled (Idle)'),
  'mdm.checkin.authenticate': () => 'sent Authenticate',
  'mdm.checkin.token_update': () => 'sent TokenUpdate',
  'mdm.checkin.checkout': () => 'sent CheckOut',
  'device.log.checkin': () => 'contacted the MDM server (device log)',
  'device.log.command': (f) => `processed ${String(f.value)} (device log)`,
  'device.last_polling_success': () => 'polled the MDM server successfully (MDM.plist LastPollingSuccess)',
  'server.device_last_checkin': () => 'last checked in, as the MDM server reports it',
};

export interface DeviceEvent {
  readonly fact: Fact;
  readonly kind: 'push' | 'contact';
  readonly m: Moment;
  /** Upper-cased device names the fact carries. */
  readonly ids: string[];
  readonly channel?: string;
  /** Read off the device itself (its logs, MDM.plist): about the device the sysdiagnose came from. */
  readonly own: boolean;
  readonly what: string;
  readonly where: string;
  /** Stable position for ties. */
  readonly key: string;
}

/**
 * A busy server log gives hundreds of thousands of events, and only a few are
 * ever named in a report: what they say, where and their tie-break key are
 * worked out when first asked for.
 */
class Event implements DeviceEvent {
  readonly channel?: string;
  private said?: string;
  private place?: string;
  private tie?: string;

  constructor(
    readonly fact: Fact,
    readonly kind: DeviceEvent['kind'],
    readonly m: Moment,
    readonly ids: string[],
    readonly own: boolean,
    private readonly say: (f: Fact) => string,
  ) {
    if (fact.attrs?.channel) this.channel = fact.attrs.channel;
  }

  get what(): string {
    return (this.said ??= this.say(this.fact));
  }

  get where(): string {
    return (this.place ??= describeSource(this.fact.source));
  }

  get key(): string {
    return (this.tie ??= `${this.m.src ?? ''}\u0000${String(this.m.line).padStart(10, '0')}\u0000${this.fact.name}`);
  }
}

/** An id hidden for a ticket or a log ("00008120-XXXX…", "<private>", "****"): some device, unnamed. */
const MASKED_ID = /[*…<>]|X{4,}|redacted|private/i;

/** A value that is masked or cut is no name to match on. */
function usableId(v: string): boolean {
  return v.length >= 6 && !/[*…<>]|X{4,}|redacted|private|unknown|\(unnamed/i.test(v);
}

/** Upper-cased names already made, and the last list of them: a busy log names its few devices on every line. */
const upper = new Map<string, string>();
let lastIds: string[] = [];

/** The device names a fact carries (never mutated by callers: consecutive facts naming the same devices share one list). */
function idsOf(f: Fact): string[] {
  const found: string[] = [];
  for (const k of ID_ATTRS) {
    const v = f.attrs?.[k]?.trim();
    if (!v || !usableId(v)) continue;
    let u = upper.get(v);
    if (u === undefined) {
      // Bounded: a long-running bot sees many devices; the cache only saves allocations.
      if (upper.size > 10_000) upper.clear();
      upper.set(v, (u = v.toUpperCase()));
    }
    found.push(u);
  }
  const out = found.length < 2 ? found : [...new Set(found)];
  if (out.length === lastIds.length && out.every((id, i) => id === lastIds[i])) return lastIds;
  lastIds = out;
  return out;
}

/** Read off the device itself: its own facts, and command statuses mdmclient logged. */
export function isOwn(f: Fact): boolean {
  return f.name.startsWith('device.') || f.attrs?.origin === 'device log';
}

function eventOf(f: Fact, kind: DeviceEvent['kind'], say: (f: Fact) => string): DeviceEvent | undefined {
  const m = momentOf(f);
  if (!m) return undefined;
  return new Event(f, kind, m, idsOf(f), isOwn(f), say);
}

const PUSH = () => 'push';

/**
 * Pushes: the server's push lines, and APNs answers to MDM pushes that no
 * push line stands for already (a provider log beside the server log).
 */
function pushEvents(index: Index): DeviceEvent[] {
  const out: DeviceEvent[] = [];
  const lines = new Set<string>();
  for (const f of index.get('server.push_sent') ?? []) {
    const e = eventOf(f, 'push', PUSH);
    if (!e) continue;
    out.push(e);
    lines.add(`${sourceKey(f.source)}\u0000${lineOf(f.source)}`);
  }
  for (const f of index.get('mdm.apns_response') ?? []) {
    if (lines.has(`${sourceKey(f.source)}\u0000${lineOf(f.source)}`)) continue;
    const e = eventOf(f, 'push', PUSH);
    if (e) out.push(e);
  }
  return out;
}

function contactEvents(index: Index, untimed: Fact[]): DeviceEvent[] {
  const out: DeviceEvent[] = [];
  for (const [name, say] of Object.entries(CONTACTS))
    for (const f of index.get(name) ?? []) {
      const e = eventOf(f, 'contact', say);
      if (e) out.push(e);
      else untimed.push(f);
    }
  return out;
}

export interface Device {
  /** Every name the device goes by in the evidence, sorted. */
  ids: string[];
  /** The name to show: a UDID or EnrollmentID before a serial or server id. */
  label: string;
  pushes: DeviceEvent[];
  contacts: DeviceEvent[];
  /** Contacts whose time the evidence does not give (a command result saved on its own, a syslog line without a year). */
  untimed: Fact[];
}

export interface CaseDevices {
  devices: Device[];
  /** The device the case is about, or undefined when the evidence cannot tell. */
  subject?: Device;
  /** How the subject was chosen, in words, for derived facts' provenance. */
  chosen?: string;
  /** Devices that could be the subject, when it is ambiguous. */
  candidates: Device[];
}

class Names {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  join(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // biome-ignore lint/complexity/useMathMinMax: ids are strings; Math.max would make NaN of them
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

const byTime = (a: DeviceEvent, b: DeviceEvent) => a.m.ms - b.m.ms || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function labelOf(ids: string[], events: DeviceEvent[]): string {
  for (const k of ['udid', 'enrollment_id', 'device', 'device_id', 'serial'])
    for (const e of events) {
      const v = e.fact.attrs?.[k]?.trim().toUpperCase();
      // A line that named the device only by the server's id carries that id as its udid too: no UDID to show.
      if (k === 'udid' && v && v === e.fact.attrs?.device_id?.trim().toUpperCase()) continue;
      if (v && ids.includes(v)) return e.fact.attrs![k]!.trim();
    }
  return ids[0] ?? 'the device';
}

/**
 * Groups pushes and contacts by device and picks the device the case is
 * about: the one someone named (q.case.device), else the one the device's
 * own evidence names (its UDID or serial), else the only device in the
 * evidence. Events that name no device belong to the subject only when the
 * evidence names no device at all, or they were read off the device itself.
 */
export function caseDevices(index: Index): CaseDevices {
  const untimed: Fact[] = [];
  const events = [...pushEvents(index), ...contactEvents(index, untimed)];
  const names = new Names();
  for (const e of events) for (let i = 1; i < e.ids.length; i++) names.join(e.ids[0], e.ids[i]);

  const groups = new Map<string, DeviceEvent[]>();
  const nameless: DeviceEvent[] = [];
  const own: DeviceEvent[] = [];
  for (const e of events) {
    if (e.ids.length) {
      const root = names.find(e.ids[0]);
      const g = groups.get(root);
      if (g) g.push(e);
      else groups.set(root, [e]);
    } else if (e.own) own.push(e);
    else nameless.push(e);
  }
  const devices: Device[] = [...groups.entries()].map(([root, evs]) => {
    const ids = [...new Set(evs.flatMap((e) => e.ids))].sort();
    const mine = untimed.filter((f) => idsOf(f).some((id) => names.find(id) === root));
    return {
      ids,
      label: labelOf(ids, evs),
      pushes: evs.filter((e) => e.kind === 'push').sort(byTime),
      contacts: evs.filter((e) => e.kind === 'contact').sort(byTime),
      untimed: mine,
    };
  });
  devices.sort((a, b) => (a.ids[0] < b.ids[0] ? -1 : 1));
  const ownUntimed = untimed.filter((f) => isOwn(f) && !idsOf(f).length);

  const withOwn = (d: Device, chosen: string): CaseDevices => {
    const contacts = [...d.contacts, ...own.filter((e) => e.kind === 'contact')].sort(byTime);
    const pushes = [...d.pushes, ...own.filter((e) => e.kind === 'push')].sort(byTime);
    const subject = { ...d, contacts, pushes, untimed: [...d.untimed, ...ownUntimed] };
    return { devices: devices.map((x) => (x === d ? subject : x)), subject, chosen, candidates: [subject] };
  };
  const find = (id: string) => {
    const root = names.find(id.trim().toUpperCase());
    return devices.find((d) => d.ids.some((x) => names.find(x) === root));
  };

  const answered = (index.get('case.device_id') ?? []).filter((f) => f.source.kind === 'answer').at(-1);
  if (answered) {
    const id = String(answered.value).trim();
    const d = find(id);
    if (d) return withOwn(d, `the device named in the answer to q.case.device (${id})`);
    // Named, but nothing in the evidence is about it.
    return withOwn({ ids: [id.toUpperCase()], label: id, pushes: [], contacts: [], untimed: [] }, `the device named in the answer to q.case.device (${id})`);
  }

  const named = new Set<Device>();
  for (const n of ['device.udid', 'device.serial'])
    for (const f of index.get(n) ?? []) {
      const d = find(String(f.value));
      if (d) named.add(d);
    }
  const quiet = quietDevices(index, untimed, names, find, named.size > 0 && (index.get('device.serial') ?? []).some((f) => find(String(f.value))));
  if (named.size === 1 && !quiet.length) {
    const d = [...named][0];
    return withOwn(d, `${d.label}, the device the evidence names as the one diagnosed`);
  }
  if (named.size >= 1) return { devices, candidates: [...[...named].sort((a, b) => (a.ids[0] < b.ids[0] ? -1 : 1)), ...quiet] };
  // A push or contact whose device id is masked is some device, maybe another than the one named: the one
  // named device is then not "the only device", and the case waits for someone to say which it is about.
  const hidden = nameless.filter((e) => ID_ATTRS.some((k) => MASKED_ID.test(e.fact.attrs?.[k] ?? '')));
  if (devices.length >= 1 && hidden.length) {
    const masked = [...new Set(hidden.map((e) => ID_ATTRS.map((k) => e.fact.attrs?.[k]?.trim() ?? '').find((v) => MASKED_ID.test(v))!))].sort();
    const unknown: Device = {
      ids: [],
      label: `${masked.join(', ')} (masked)`,
      pushes: hidden.filter((e) => e.kind === 'push').sort(byTime),
      contacts: hidden.filter((e) => e.kind === 'contact').sort(byTime),
      untimed: [],
    };
    return { devices, candidates: [...devices, unknown] };
  }
  if (devices.length === 1) {
    // A device named only by a message without a time (a check-in or command result saved on its own, a
    // sysdiagnose's UDID) is another device beside the log's one: the case is not plainly about "the only device".
    if (!quiet.length) return withOwn(devices[0], `${devices[0].label}, the only device the evidence names`);
    return { devices, candidates: [devices[0], ...quiet] };
  }
  // Check-ins or command results of two devices, none with a time: which one is the case's?
  if (devices.length === 0 && quiet.length > 1) return { devices, candidates: quiet };
  if (devices.length === 0) {
    const all = [...nameless, ...own];
    if (!all.length && !untimed.length) return { devices, candidates: [] };
    const d: Device = {
      ids: [],
      label: 'the device',
      pushes: all.filter((e) => e.kind === 'push').sort(byTime),
      contacts: all.filter((e) => e.kind === 'contact').sort(byTime),
      untimed,
    };
    return { devices: [d], subject: d, chosen: 'the evidence names no device, so all of it is taken to be about one', candidates: [d] };
  }
  return { devices, candidates: devices };
}

/**
 * Devices the evidence names with no timed push or contact: by a message without a time (a check-in or
 * command result saved on its own) or by a device's own UDID (a sysdiagnose's). The ids one message gives
 * are one device. A device's own UDID is left out when its serial already names a device of the logs
 * (a log that keys devices by serial).
 */
function quietDevices(index: Index, untimed: Fact[], names: Names, find: (id: string) => Device | undefined, serialNamed: boolean): Device[] {
  for (const f of untimed) {
    const ids = idsOf(f);
    for (let i = 1; i < ids.length; i++) names.join(ids[0], ids[i]);
  }
  const own = serialNamed ? [] : (index.get('device.udid') ?? []).map((f) => String(f.value).trim().toUpperCase());
  const byRoot = new Map<string, string[]>();
  for (const id of new Set([...untimed.flatMap(idsOf), ...own])) {
    if (!usableId(id) || find(id)) continue;
    const root = names.find(id);
    byRoot.set(root, [...(byRoot.get(root) ?? []), id]);
  }
  return [...byRoot.values()]
    .map((ids): Device => {
      const sorted = ids.sort();
      const mine = untimed.filter((f) => idsOf(f).some((id) => sorted.includes(id)));
      const udid = mine.map((f) => f.attrs?.udid?.trim()).find((v) => v && sorted.includes(v.toUpperCase()));
      return { ids: sorted, label: udid ?? sorted[0], pushes: [], contacts: [], untimed: mine };
    })
    .sort((a, b) => (a.ids[0] < b.ids[0] ? -1 : 1));
}

/**
 * Whether a fact may be about the device the case is about (case.device, derived
 * before): facts naming no device may; facts naming devices must name it. With
 * no case device known, every fact may.
 */
export function aboutCaseDevice(index: Index): (f: Fact) => boolean {
  const subject = index.get('case.device')?.[0];
  if (!subject) return () => true;
  const names = new Set([String(subject.value), ...Object.values(subject.attrs ?? {})].map((v) => v.trim().toUpperCase()));
  return (f) => {
    const ids = idsOf(f);
    return !ids.length || ids.some((id) => names.has(id));
  };
}
