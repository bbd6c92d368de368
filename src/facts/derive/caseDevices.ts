import type { Fact, Source } from '../schema.js';
import { lineOf, rotationOrder, sourceKey } from '../time.js';
import { contactItems, type DeviceEvent, type EventBatch, ID_ATTRS, idsOf, isOwn, MASKED_ID, pushEvents, usableId } from './deviceEvents.js';
import { answeredCaseDevice } from './caseAnswer.js';
import { providerTokens, tokenInEvidence } from './provider.js';
import { showSecret } from '../secrets.js';
import { isMaskedId, maskedIdFits } from '../maskedId.js';

/**
 * The devices of a case: pushes and contacts grouped by device (two names on
 * one line are one device), and the device the case is about.
 */

type Index = ReadonlyMap<string, readonly Fact[]>;

export interface Device {
  /** Every name the device goes by in the evidence, sorted. */
  ids: string[];
  /** The name to show: a UDID or EnrollmentID before a serial or server id. */
  label: string;
  pushes: DeviceEvent[];
  contacts: DeviceEvent[];
  /** Contacts whose time the evidence does not give (a command result saved on its own, a syslog line without a year). */
  untimed: Fact[];
  /** Device ids masked in their middle (`00008110-…801E`) whose ends fit this device's id, and no other known device's. */
  masked?: string[];
}

export interface CaseDevices {
  devices: Device[];
  /** The device the case is about, or undefined when the evidence cannot tell. */
  subject?: Device;
  /** How the subject was chosen, in words, for derived facts' provenance. */
  chosen?: string;
  /** Devices that could be the subject, when it is ambiguous. */
  candidates: Device[];
  /** The answer to q.case.device names no device of the evidence (none, or a bare number several devices' ids end in). */
  unmatched?: { answer: string; several: string[]; devices: string[] };
  /** The answer to q.case.device is no push token (a UDID), and the evidence's devices are a provider's tokens only. */
  notToken?: { answer: string; tokens: string[] };
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

/** Events, with the batches among them made into their events, in order. */
function eventsOfItems(items: readonly (DeviceEvent | EventBatch)[]): DeviceEvent[] {
  const out: DeviceEvent[] = [];
  for (const e of items) {
    if ('batch' in e) e.expand(out);
    else out.push(e);
  }
  return out;
}

/** Time, then a rotated log's older file first (`nanomdm.log.1` before `nanomdm.log`), then a stable key. */
const byTime = (a: DeviceEvent, b: DeviceEvent) => a.m.ms - b.m.ms || rotationOrder(a.m.src, b.m.src) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function labelOf(ids: string[], events: readonly (DeviceEvent | EventBatch)[]): string {
  for (const k of ['udid', 'enrollment_id', 'device', 'device_id', 'serial'])
    for (const e of events) {
      const v = e.attr(k)?.trim().toUpperCase();
      // A line that named the device only by the server's id carries that id as its udid too: no UDID to show.
      if (k === 'udid' && v && v === e.attr('device_id')?.trim().toUpperCase()) continue;
      if (v && ids.includes(v)) return e.attr(k)!.trim();
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
  const items: (DeviceEvent | EventBatch)[] = [...pushEvents(index), ...contactItems(index, untimed)];
  const names = new Names();
  for (const e of items) for (let i = 1; i < e.ids.length; i++) names.join(e.ids[0], e.ids[i]);

  const groups = new Map<string, (DeviceEvent | EventBatch)[]>();
  const nameless: DeviceEvent[] = [];
  const own: DeviceEvent[] = [];
  for (const e of items) {
    if (e.ids.length) {
      const root = names.find(e.ids[0]);
      const g = groups.get(root);
      if (g) g.push(e);
      else groups.set(root, [e]);
    } else for (const x of eventsOfItems([e])) (x.own ? own : nameless).push(x);
  }
  const devices: Device[] = [...groups.entries()].map(([root, evs]) => {
    const ids = [...new Set(evs.flatMap((e) => e.ids))].sort();
    const mine = untimed.filter((f) => idsOf(f).some((id) => names.find(id) === root));
    // Made when first asked for: most devices of a busy server's log are never the subject.
    let pushes: DeviceEvent[] | undefined;
    let contacts: DeviceEvent[] | undefined;
    return {
      ids,
      label: labelOf(ids, evs),
      get pushes() {
        return (pushes ??= eventsOfItems(evs.filter((e) => e.kind === 'push')).sort(byTime));
      },
      get contacts() {
        return (contacts ??= eventsOfItems(evs.filter((e) => e.kind === 'contact')).sort(byTime));
      },
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

  const id = answeredCaseDevice(index);
  if (id !== undefined) {
    const named = answeredDevices(id, find);
    // Lines whose device id was masked in its middle (`00008110-…801E`): those whose ends fit the named id are its
    // own, unless another device the evidence names fits them too (then they are neither's, and speak for neither).
    const masks = [...new Set(nameless.flatMap((e) => middleMaskOf(e) ?? []))].sort();
    const fitting = masks.filter((m) => maskedIdFits(m, id));
    const others = devices.filter((d) => d !== named[0]).flatMap((d) => d.ids);
    const ambiguous = fitting.filter((m) => others.some((o) => maskedIdFits(m, o)));
    if (fitting.length && ambiguous.length) {
      const both = devices.filter((d) => d.ids.some((o) => ambiguous.some((m) => maskedIdFits(m, o))));
      return {
        devices,
        candidates: [...named, ...both, maskedDevice(nameless.filter((e) => ambiguous.includes(middleMaskOf(e) ?? '')))],
      };
    }
    if (fitting.length) {
      const mine = nameless.filter((e) => fitting.includes(middleMaskOf(e) ?? ''));
      const base: Device = named[0] ?? { ids: [id.toUpperCase()], label: id, pushes: [], contacts: [], untimed: [] };
      const d: Device = {
        ...base,
        pushes: [...base.pushes, ...mine.filter((e) => e.kind === 'push')].sort(byTime),
        contacts: [...base.contacts, ...mine.filter((e) => e.kind === 'contact')].sort(byTime),
        untimed: base.untimed,
        masked: fitting,
      };
      const r = withOwn(d, `the device named in the answer to q.case.device (${id}), with the lines whose masked id (${fitting.join(', ')}) fits it`);
      return named[0] ? { ...r, devices: devices.map((x) => (x === named[0] ? r.subject! : x)) } : r;
    }
    if (named.length === 1) return withOwn(named[0], `the device named in the answer to q.case.device (${id})`);
    // Named, but nothing in the evidence is about it (or a bare number that is several devices' ids): no device of
    // the evidence is credited to the case, and the report says the answer matched none.
    const none = withOwn(
      { ids: [id.toUpperCase()], label: id, pushes: [], contacts: [], untimed: [] },
      `the device named in the answer to q.case.device (${id})`,
    );
    // A push token names an app's device, which the provider's log, not this grouping, holds; a device named only
    // by a message without a time (a check-in saved on its own) or by a sysdiagnose is in the evidence too.
    const elsewhere = new Set([
      ...untimed.flatMap(idsOf),
      ...['device.udid', 'device.serial'].flatMap((n) => (index.get(n) ?? []).map((f) => String(f.value).trim().toUpperCase())),
    ]);
    if (elsewhere.has(id.toUpperCase())) return none;
    // The devices the answer could have named: the logs' ones, and those named only by a check-in saved on its own or a sysdiagnose.
    const known = [...devices, ...(named.length ? [] : quietDevices(index, untimed, names, find, false))];
    const tokens = providerTokens(index);
    if (/^[0-9a-f]{64}$/i.test(id)) {
      if (tokenInEvidence(index, id)) return none;
      // A token none of the evidence's pushes went to: its devices are the provider's tokens and the servers' devices.
      const all = [...known.map((d) => d.label), ...[...tokens.values()]];
      if (!all.length) return none;
      return { ...none, unmatched: { answer: `token ${showSecret(id, 'token', 'channel')}`, several: [], devices: all } };
    }
    if (!known.length) {
      // An id that is no push token (a UDID) beside a provider's log that names its devices by token only: which
      // token is the device's the evidence cannot tell, and the report asks for the token.
      if (tokens.size && !(index.get('apns.response') ?? []).some((f) => idsOf(f).includes(id.toUpperCase())))
        return { ...none, notToken: { answer: id, tokens: [...tokens.values()] } };
      return none;
    }
    return { ...none, unmatched: { answer: id, several: named.map((d) => d.label), devices: known.map((d) => d.label) } };
  }

  const namedBy = new Map<Device, Set<string>>();
  for (const n of ['device.udid', 'device.serial'])
    for (const f of index.get(n) ?? []) {
      const d = find(String(f.value));
      if (!d) continue;
      const at = namedBy.get(d) ?? new Set<string>();
      namedBy.set(d, at.add(placeOf(f.source)));
    }
  // A check-in the server kept with its time (a webhook event) names its device and is, at once, that device's
  // only contact: beside a log of another device it says no more than an untimed check-in does about which
  // device the case is about. Only a device something else speaks of (a log line, another file) is named.
  const named = new Set<Device>();
  const alone: Device[] = [];
  for (const [d, at] of namedBy) {
    if (spokenOfElsewhere(d, at)) named.add(d);
    else alone.push(d);
  }
  const quiet = quietDevices(index, untimed, names, find, named.size > 0 && (index.get('device.serial') ?? []).some((f) => find(String(f.value))));
  if (named.size === 1 && !quiet.length && !alone.length) {
    const d = [...named][0];
    return withOwn(d, `${d.label}, the device the evidence names as the one diagnosed`);
  }
  if (named.size >= 1) return { devices, candidates: [...[...named, ...alone].sort((a, b) => (a.ids[0] < b.ids[0] ? -1 : 1)), ...quiet] };
  // A push or contact whose device id is masked is some device, maybe another than the one named: the one
  // named device is then not "the only device", and the case waits for someone to say which it is about.
  const hidden = nameless.filter((e) => ID_ATTRS.some((k) => MASKED_ID.test(e.attr(k) ?? '')));
  if (devices.length >= 1 && hidden.length) {
    return { devices, candidates: [...devices, maskedDevice(hidden)] };
  }
  if (devices.length === 1) {
    // A device named only by a message without a time (a check-in or command result saved on its own, a
    // sysdiagnose's UDID) is another device beside the log's one: the case is not plainly about "the only device".
    if (!quiet.length) return withOwn(devices[0], `${devices[0].label}, the only device the evidence names`);
    return { devices, candidates: [devices[0], ...quiet] };
  }
  // Check-ins or command results of two devices, none with a time: which one is the case's?
  if (devices.length === 0 && quiet.length > 1) return { devices, candidates: quiet };
  // Every device id masked (a log shared with its UDIDs hidden, all alike): a masked poll may be any device's,
  // so no push is judged answered by it. The pushes stay some device's, none the case's.
  if (devices.length === 0 && hidden.some((e) => e.kind === 'push')) {
    // Ids masked in their middle with different ends (`00008110-…801E`, `00008101-…401E`) are as many devices: the case asks which.
    const ends = new Map<string, DeviceEvent[]>();
    for (const e of hidden) {
      const m = middleMaskOf(e);
      if (!m) continue;
      const list = ends.get(m);
      if (list) list.push(e);
      else ends.set(m, [e]);
    }
    if (ends.size > 1 && ends.size === new Set(hidden.map(hiddenIdOf)).size)
      return { devices, candidates: [...ends.keys()].sort().map((m) => maskedDevice(ends.get(m)!)) };
    return { devices, candidates: [maskedDevice(hidden)] };
  }
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
 * The devices an answer names: the one with that id, else for a bare number Jamf Pro's device of that id (its log
 * names them mobile-device-<id> and computer-<id>); two of those are two devices, and name neither.
 */
function answeredDevices(id: string, find: (id: string) => Device | undefined): Device[] {
  const d = find(id);
  if (d) return [d];
  if (!/^\d{1,9}$/.test(id)) return [];
  return [...new Set([find(`mobile-device-${id}`), find(`computer-${id}`)].filter((x): x is Device => !!x))];
}

/** The pushes and contacts whose device id is masked, as one unknown device (named by its masks). */
/** The first of an event's ids masked in its middle (`00008110-…801E`), as the readers keep one. */
function middleMaskOf(e: DeviceEvent): string | undefined {
  return ID_ATTRS.map((k) => e.attr(k)?.trim() ?? '').find(isMaskedId);
}

/** The first of an event's ids the log hid, wholly or in part. */
function hiddenIdOf(e: DeviceEvent): string | undefined {
  return ID_ATTRS.map((k) => e.attr(k)?.trim() ?? '').find((v) => MASKED_ID.test(v));
}

function maskedDevice(hidden: readonly DeviceEvent[]): Device {
  const masked = [...new Set(hidden.map((e) => hiddenIdOf(e)!))].sort();
  return {
    ids: [],
    label: `${masked.join(', ')} (masked)`,
    pushes: hidden.filter((e) => e.kind === 'push').sort(byTime),
    contacts: hidden.filter((e) => e.kind === 'contact').sort(byTime),
    untimed: [],
  };
}

/** Where a fact was read: its file (or archive member, or paste) and line. */
function placeOf(s: Source): string {
  return `${sourceKey(s) ?? ''}\u0000${lineOf(s)}`;
}

/** Whether some push or contact of the device was read elsewhere than in the messages that name it. */
function spokenOfElsewhere(d: Device, namedAt: ReadonlySet<string>): boolean {
  const elsewhere = (e: DeviceEvent) => !namedAt.has(`${e.m.src ?? ''}\u0000${e.m.line}`);
  return d.pushes.some(elsewhere) || d.contacts.some(elsewhere);
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
  // An untimed message's ids already name a device (a short server id under device_id does too); a device's own UDID must be usable.
  const saved = new Set(untimed.flatMap(idsOf));
  for (const id of new Set([...saved, ...own])) {
    if ((!saved.has(id) && !usableId(id)) || find(id)) continue;
    const root = names.find(id);
    byRoot.get(root)?.push(id) ?? byRoot.set(root, [id]);
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
