import { describeSource } from '../order.js';
import type { Fact } from '../schema.js';
import { attrAt, entry, expandFacts, lineAt, msOf, observation, sourceAt } from '../fold.js';
import { isShortDeviceId } from '../normalize.js';
import { isZoneLess, lineOf, momentOf, rotationOrder, sourceKey, type Moment } from '../time.js';

/**
 * The pushes a server sent and the times devices reached it, as events with
 * the names of their device (grouped by device in derive/caseDevices.ts). A
 * log may hold many devices; a contact only ever answers a push to the same
 * device. Devices are named by whatever the evidence carries (UDID,
 * EnrollmentID, serial number, the server's device id).
 */

type Index = ReadonlyMap<string, readonly Fact[]>;

/** Attributes that name a device. `device` is the older spelling some callers use for the UDID. */
export const ID_ATTRS = ['udid', 'device', 'enrollment_id', 'serial', 'device_id'] as const;

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
  /** The observation (rebuilt on each access for a folded fact's event: read `name` and `attr` in loops). */
  readonly fact: Fact;
  /** The fact's name. */
  readonly name: string;
  /** One attribute of the observation, without rebuilding it. */
  attr(k: string): string | undefined;
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

/** What the events of one fact (one log) share: kept once, not per event. */
interface Shared {
  readonly from: Fact;
  readonly kind: DeviceEvent['kind'];
  readonly src: string | undefined;
  readonly zoneLess: boolean;
  readonly ids: string[];
  readonly own: boolean;
  readonly channel?: string;
  readonly say: (f: Fact) => string;
}

function sharedOf(from: Fact, kind: DeviceEvent['kind'], src: string | undefined, say: (f: Fact) => string): Shared {
  return {
    from,
    kind,
    src,
    zoneLess: isZoneLess(from),
    ids: idsOf(from),
    own: isOwn(from),
    say,
    ...(from.attrs?.channel ? { channel: from.attrs.channel } : {}),
  };
}

/**
 * A busy server log gives hundreds of thousands of events, and only a few are
 * ever named in a report: what they say, where and their tie-break key are
 * worked out when first asked for. An event of a folded fact keeps the fact
 * and its place in it, and rebuilds the observation only when asked; it is
 * its own moment, and what it shares with the fact's other events is kept once.
 */
class Event implements DeviceEvent, Moment {
  private said?: string;
  private place?: string;
  private tie?: string;

  constructor(
    private readonly g: Shared,
    /** Place of the observation in the folded fact (-1: the fact is the observation). */
    private readonly i: number,
    readonly ms: number,
    readonly line: number,
  ) {}

  get name(): string {
    return this.g.from.name;
  }
  attr(k: string): string | undefined {
    return this.i < 0 ? this.g.from.attrs?.[k] : attrAt(this.g.from, this.i, k);
  }
  get kind(): DeviceEvent['kind'] {
    return this.g.kind;
  }
  get ids(): string[] {
    return this.g.ids;
  }
  get own(): boolean {
    return this.g.own;
  }
  get channel(): string | undefined {
    return this.g.channel;
  }
  get src(): string | undefined {
    return this.g.src;
  }
  get zoneLess(): boolean {
    return this.g.zoneLess;
  }
  get res(): number {
    return this.ms % 1000 === 0 ? 1000 : 1;
  }

  get fact(): Fact {
    // Not kept: half a million rebuilt observations would cost what folding saved.
    return this.i < 0 ? this.g.from : observation(this.g.from, this.i);
  }

  get m(): Moment {
    return this;
  }

  get what(): string {
    return (this.said ??= this.g.say(this.fact));
  }

  get where(): string {
    return (this.place ??= describeSource(this.fact.source));
  }

  get key(): string {
    return (this.tie ??= `${this.src ?? ''}\u0000${String(this.line).padStart(10, '0')}\u0000${this.g.from.name}`);
  }
}

/** An id hidden for a ticket or a log ("00008120-XXXX…", "<private>", "****"): some device, unnamed. */
export const MASKED_ID = /[*…<>]|X{4,}|redacted|private/i;

/** A value that is masked or cut is no name to match on. */
export function usableId(v: string): boolean {
  return v.length >= 6 && !/[*…<>]|X{4,}|redacted|private|unknown|\(unnamed/i.test(v);
}

/** Whether a value under an attribute names a device: a usable id, or the server's own short id under `device_id`. */
export function namesDevice(attr: string, v: string): boolean {
  return usableId(v) || (attr === 'device_id' && isShortDeviceId(v));
}

/** Upper-cased names already made, and the last list of them: a busy log names its few devices on every line. */
const upper = new Map<string, string>();
let lastIds: string[] = [];

/** The device names a fact carries (never mutated by callers: consecutive facts naming the same devices share one list). */
export function idsOf(f: Fact): string[] {
  const found: string[] = [];
  for (const k of ID_ATTRS) {
    const v = f.attrs?.[k]?.trim();
    if (!v || !namesDevice(k, v)) continue;
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
  return new Event(sharedOf(f, kind, m.src, say), -1, m.ms, m.line);
}

/**
 * The events of a fact: one per observation of a folded fact (read from its
 * columns); observations without a time go to `untimed`.
 */
function eventsOf(f: Fact, kind: DeviceEvent['kind'], say: (f: Fact) => string, out: DeviceEvent[], untimed?: Fact[]): void {
  if (!f.fold) {
    const e = eventOf(f, kind, say);
    if (e) out.push(e);
    else untimed?.push(f);
    return;
  }
  const members = f.fold.each.member;
  const one = members ? undefined : sharedOf(f, kind, sourceKey(f.source), say);
  const byMember = new Map<string | undefined, Shared>();
  for (let i = 0; i < f.fold.count; i++) {
    const ms = msOf(f, i);
    if (Number.isNaN(ms)) {
      untimed?.push(observation(f, i));
      continue;
    }
    let g = one;
    if (!g) {
      const src = sourceKey(sourceAt(f, i));
      g = byMember.get(src);
      if (!g) byMember.set(src, (g = sharedOf(f, kind, src, say)));
    }
    out.push(new Event(g, i, ms, lineAt(f, i)));
  }
}

const PUSH = () => 'push';

/**
 * Pushes: the server's push lines, and APNs answers to MDM pushes that no
 * push line stands for already (a provider log beside the server log).
 */
export function pushEvents(index: Index): DeviceEvent[] {
  const out: DeviceEvent[] = [];
  const lines = new Set<string>();
  const answered: Fact[] = [];
  const sent = expandFacts(index.get('server.push_sent') ?? []);
  const joined = answeredInNextRotation(sent);
  for (const f of sent) {
    if (joined.has(f)) continue;
    const e = eventOf(f, 'push', PUSH);
    if (!e) continue;
    out.push(e);
    lines.add(`${sourceKey(f.source)}\u0000${lineOf(f.source)}`);
    if (f.attrs?.status) answered.push(f);
  }
  for (const f of expandFacts(index.get('mdm.apns_response') ?? [])) {
    if (lines.has(`${sourceKey(f.source)}\u0000${lineOf(f.source)}`)) continue;
    if (answered.some((p) => answers(f, p))) continue;
    const e = eventOf(f, 'push', PUSH);
    if (e) out.push(e);
  }
  return out;
}

/** How long after its push a server logs APNs's answer on a line of its own (Jamf Pro: a fraction of a second). */
const ANSWER_LINE_MS = 60_000;

/**
 * Pushes logged without an answer whose answer line opens the next rotation of the same log (Jamf Pro's
 * push at the end of `JAMFSoftwareServer.log.1`, APNs's answer at the start of `JAMFSoftwareServer.log`):
 * each reader reads one file, so the answer became a push of its own. It is the same push: the answer,
 * which carries APNs's status and apns-id, stands for it, and the line without one is left out.
 */
function answeredInNextRotation(pushes: readonly Fact[]): Set<Fact> {
  const out = new Set<Fact>();
  const byDevice = new Map<string, Fact[]>();
  for (const f of pushes) {
    const s = f.attrs?.status;
    if (!f.attrs?.udid || !s || s === 'sent' || s === 'failed') continue;
    const list = byDevice.get(f.attrs.udid);
    if (list) list.push(f);
    else byDevice.set(f.attrs.udid, [f]);
  }
  if (!byDevice.size) return out;
  const taken = new Set<Fact>();
  for (const p of pushes) {
    if (p.attrs?.status !== 'sent' || !p.attrs.udid) continue;
    const src = sourceKey(p.source);
    const a = byDevice.get(p.attrs.udid)?.find((f) => !taken.has(f) && rotationOrder(src, sourceKey(f.source)) < 0 && answers(f, p, true));
    if (!a) continue;
    taken.add(a);
    out.add(p);
  }
  return out;
}

/**
 * An answer line the server's push line already carries (Jamf Pro logs the
 * push, then APNs's answer on the next line; its reader joins the two): the
 * same push, not a second one. Same log, same device, same status, the same
 * apns-id when both have one, and written within a minute after the push
 * (a second before too: some readers keep only whole seconds of the answer).
 */
function answers(answer: Fact, push: Fact, rotated = false): boolean {
  const a = answer.attrs ?? {};
  const p = push.attrs ?? {};
  // Across rotations the caller has checked the files, and the push line carries no status yet.
  if (!rotated && sourceKey(answer.source) !== sourceKey(push.source)) return false;
  if (!a.udid || a.udid !== p.udid || (!rotated && a.status !== p.status)) return false;
  if (rotated && a.device_id && p.device_id && a.device_id !== p.device_id) return false;
  if (a.apns_id && p.apns_id && a.apns_id !== p.apns_id) return false;
  if (!answer.at || !push.at || (a.zone ?? '') !== (p.zone ?? '')) return false;
  const gap = Date.parse(answer.at) - Date.parse(push.at);
  return gap >= -1000 && gap <= ANSWER_LINE_MS;
}

/**
 * The events of a folded fact, as one entry until some device's events are
 * asked for: a busy log of many devices is grouped by device without an
 * object per line, and only the device the case is about has its events made.
 */
export interface EventBatch {
  readonly batch: true;
  readonly ids: string[];
  readonly own: boolean;
  readonly kind: DeviceEvent['kind'];
  /** An attribute every observation shares (a device name). */
  attr(k: string): string | undefined;
  expand(out: DeviceEvent[]): void;
}

/** Contacts: events, and batches of a folded fact's events (its untimed observations go to `untimed` at once). */
export function contactItems(index: Index, untimed: Fact[]): (DeviceEvent | EventBatch)[] {
  const out: (DeviceEvent | EventBatch)[] = [];
  for (const [name, say] of Object.entries(CONTACTS))
    for (const f of index.get(name) ?? []) {
      if (!f.fold) {
        eventsOf(f, 'contact', say, out as DeviceEvent[], untimed);
        continue;
      }
      let timed = 0;
      const at = f.fold.each.at;
      for (let i = 0; i < f.fold.count; i++)
        if (entry(at, i) === '' || Number.isNaN(msOf(f, i))) untimed.push(observation(f, i));
        else timed++;
      if (timed)
        out.push({
          batch: true,
          ids: idsOf(f),
          own: isOwn(f),
          kind: 'contact',
          attr: (k) => f.attrs?.[k],
          expand: (to) => eventsOf(f, 'contact', say, to),
        });
    }
  return out;
}
