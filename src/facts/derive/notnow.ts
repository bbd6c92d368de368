import { ConnectionTracker } from '../connections.js';
import { describeSource } from '../order.js';
import type { Fact, Source } from '../schema.js';
import { Connections } from './notnowConnections.js';
import { Reports } from './notnowEvents.js';
import type { Deriver } from './types.js';

/**
 * Rebuilds, per enrollment and per connection, the order in which a device
 * reported command statuses, and states what Apple's NotNow rules turn on:
 * whether a NotNow was the last status of its connection (only then does the
 * device poll again by itself), and whether the server sent the command again
 * once the device did poll.
 */

/** Apple's NotNow document names commands "<RequestType>Command" (DeviceLock → DeviceLockCommand). */
export function commandName(requestType: string): string {
  return requestType.endsWith('Command') ? requestType : `${requestType}Command`;
}

const derived = (how: string, from: string[] = ['mdm.command.status']): Source => ({ kind: 'derived', how, from });

export const notnowSequence: Deriver = (index) => {
  const statusFacts = index.get('mdm.command.status') ?? [];
  if (!statusFacts.length) return [];
  const reports = new Reports(statusFacts, index.get('notnow.command_sent') ?? []);
  // Collapsed as they are made: a busy log holds hundreds of thousands of NotNows, each giving several facts.
  const out = new Collapser();
  // One buffer of report numbers for the NotNows, then for the reports by enrollment: two never live at once.
  const scratch = new Int32Array(reports.length);
  refusals(out, reports, scratch);
  const byEnrollment = sequenced(reports, scratch);
  for (const enrollment of [...byEnrollment.keys()].sort()) enrollmentFacts(out, reports, enrollment, byEnrollment.get(enrollment)!);
  return out.facts();
};

/**
 * Report numbers sorted by `compare` (a total order: its ties fall to the numbers). A log is read in time order,
 * so its reports mostly come sorted already: checked in one pass first, since sorting half a million numbers
 * takes two work arrays of as many elements in V8.
 */
function inOrder(list: Int32Array, compare: (a: number, b: number) => number): Int32Array {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return list.sort(compare);
  return list;
}

/** Whether any NotNow was seen, and what was refused on which channel: also for results without a time (a single plist). */
function refusals(out: Collapser, reports: Reports, scratch: Int32Array): void {
  // Numbers in a typed array: a busy log's half a million NotNows in 2 MB, not an array grown push by push.
  let count = 0;
  for (let r = 0; r < reports.statuses; r++) if (reports.status(r) === 'NotNow') scratch[count++] = r;
  const notNows = inOrder(scratch.subarray(0, count), reports.compare);
  out.push({
    name: 'notnow.seen',
    value: notNows.length > 0,
    source: derived(
      notNows.length
        ? `${notNows.length} NotNow status(es), first at ${reports.where(notNows[0])}`
        : `none of ${reports.statuses} command status(es) read was NotNow`,
    ),
  });
  const acknowledged = acknowledgedByCommand(reports);
  for (const e of notNows) {
    // Most NotNows of a busy log repeat one already kept: counted without building their facts.
    const key = { udid: reports.udid(e), channel: reports.channel(e) };
    const rt = reports.rt(e);
    const uuid = reports.uuid(e);
    if (rt && !out.counted('notnow.command', commandName(rt), key)) {
      const attrs: Record<string, string> = { udid: key.udid, channel: key.channel };
      if (uuid) attrs.command_uuid = uuid;
      const connection = reports.connectionOf(e);
      if (connection >= 0) attrs.connection = reports.connectionName(connection);
      out.push({
        name: 'notnow.command',
        value: commandName(rt),
        source: derived(`RequestType ${rt} of the NotNow at ${reports.where(e)}`),
        attrs: { ...attrs, request_type: rt },
      });
    }
    doneLater(out, reports, e, acknowledged);
    if (!out.counted('notnow.channel', key.channel, key))
      out.push({
        name: 'notnow.channel',
        value: key.channel,
        source: derived(`channel of the NotNow at ${reports.where(e)}`),
        attrs: { udid: key.udid, ...(uuid ? { command_uuid: uuid } : {}) },
      });
  }
}

/** Per device and CommandUUID, the latest report of that command Acknowledged. */
function acknowledgedByCommand(reports: Reports): Map<string, number> {
  const acks = new Map<string, number>();
  for (let r = 0; r < reports.statuses; r++) {
    const uuid = reports.status(r) === 'Acknowledged' ? reports.uuid(r) : undefined;
    if (!uuid) continue;
    const k = `${reports.udid(r)}\u0000${uuid.toLowerCase()}`;
    const prev = acks.get(k);
    if (prev === undefined || reports.compare(r, prev) > 0) acks.set(k, r);
  }
  return acks;
}

/**
 * A command put off with NotNow and later Acknowledged (same device, same CommandUUID) was carried out: the
 * NotNow was a delay that ended. A device does not answer NotNow to a command it already carried out, so
 * results without times (single plists) count too; with times, the Acknowledged must be the later.
 */
function doneLater(out: Collapser, reports: Reports, notNow: number, acknowledged: Map<string, number>): void {
  const uuid = reports.uuid(notNow);
  if (!uuid) return;
  const ack = acknowledged.get(`${reports.udid(notNow)}\u0000${uuid.toLowerCase()}`);
  if (ack === undefined) return;
  // Logged in the same second in two logs that do not say which is older: no order, as without times.
  if (reports.time(ack) && reports.time(notNow) && reports.compare(ack, notNow) < 0 && !reports.tied(ack, notNow)) return;
  const udid = reports.udid(notNow);
  const rt = reports.rt(notNow) ?? reports.rt(ack);
  const value = `${rt ? `${rt} ` : ''}${uuid}, Acknowledged at ${whereInItsZone(reports, ack)}`;
  if (out.counted('notnow.done_later', value, { udid })) return;
  out.push({
    name: 'notnow.done_later',
    value,
    source: derived(`the NotNow at ${reports.where(notNow)} and the Acknowledged of the same command at ${reports.where(ack)}`),
    attrs: { udid, command_uuid: uuid, ...(rt ? { request_type: rt } : {}), acknowledged_at: reports.where(ack) },
  });
}

/** Where and when a report was made; a time read without a zone is said as such, not as UTC. */
function whereInItsZone(reports: Reports, r: number): string {
  const t = reports.time(r);
  if (!t || reports.fact(r).attrs?.zone !== 'unknown') return reports.where(r);
  return `${describeSource(reports.source(r))} (${t.slice(0, 10)} ${t.slice(11, 19)}, zone unknown)`;
}

/**
 * The reports that can be put in order (a time or a connection), each on its connection, by enrollment
 * (each enrollment's a part of `scratch`).
 */
function sequenced(reports: Reports, scratch: Int32Array): Map<string, Int32Array> {
  const all = new Int32Array(reports.length);
  let count = 0;
  for (let r = 0; r < reports.length; r++) if (reports.hasTime(r) || reports.connectionOf(r) >= 0) all[count++] = r;
  const ordered = inOrder(all.subarray(0, count), reports.compare);
  const tracker = new ConnectionTracker();
  for (const r of ordered) {
    if (reports.connectionOf(r) >= 0) continue;
    const enrollment = reports.enrollment(r);
    if (reports.isStatus(r)) reports.setConnection(r, tracker.assign(enrollment, reports.status(r)!, reports.time(r) || undefined));
    else reports.setConnection(r, tracker.current(enrollment));
  }
  // Counted first, then each enrollment's reports in a part of the scratch buffer of its own size.
  const sizes = new Map<string, number>();
  for (const r of ordered) {
    const e = reports.enrollment(r);
    sizes.set(e, (sizes.get(e) ?? 0) + 1);
  }
  const byEnrollment = new Map<string, Int32Array>();
  let from = 0;
  for (const [e, size] of sizes) {
    byEnrollment.set(e, scratch.subarray(from, from + size));
    from += size;
  }
  const filled = new Map<string, number>();
  for (const r of ordered) {
    const e = reports.enrollment(r);
    const at = filled.get(e) ?? 0;
    byEnrollment.get(e)![at] = r;
    filled.set(e, at + 1);
  }
  return byEnrollment;
}

function enrollmentFacts(out: Collapser, reports: Reports, enrollment: string, evs: Int32Array): void {
  let last = -1;
  for (let j = evs.length - 1; j >= 0 && last < 0; j--) if (reports.isStatus(evs[j])) last = evs[j];
  if (last < 0) return;
  const user = reports.user(last);
  out.push({
    name: 'notnow.last_status_per_device',
    value: reports.status(last)!,
    source: derived(`last status of ${enrollment}, at ${reports.where(last)}`),
    attrs: { udid: reports.udid(last), channel: reports.channel(last), ...(user ? { user } : {}) },
  });
  const conns = new Connections(reports, evs);
  lastWords(out, reports, conns);
  resent(out, reports, conns);
}

/** Is a NotNow the last word of its connection? */
function lastWords(out: Collapser, reports: Reports, conns: Connections): void {
  for (let c = 0; c < conns.order.length; c++) {
    const members = conns.of(c);
    let nn = -1;
    let follower = -1;
    let lastStatus = -1;
    for (const r of members) {
      if (!reports.isStatus(r)) continue;
      lastStatus = r;
      const s = reports.status(r);
      if (nn < 0) {
        if (s === 'NotNow') nn = r;
      } else if (follower < 0 && s !== 'NotNow' && s !== 'Idle') follower = r;
    }
    if (nn < 0) continue;
    const followed = reports.status(lastStatus) !== 'NotNow';
    if (out.counted('notnow.followed_on_same_connection', followed, { udid: reports.udid(nn), channel: reports.channel(nn) })) continue;
    const attrs: Record<string, string> = {
      udid: reports.udid(nn),
      channel: reports.channel(nn),
      connection: reports.connectionName(conns.order[c]),
      notnow_at: reports.where(nn),
    };
    const rt = reports.rt(nn);
    const uuid = reports.uuid(nn);
    if (rt) attrs.request_type = rt;
    if (uuid) attrs.command_uuid = uuid;
    if (followed && follower >= 0) {
      attrs.followed_by = reports.what(follower);
      attrs.followed_at = reports.where(follower);
    }
    out.push({
      name: 'notnow.followed_on_same_connection',
      value: followed,
      source: derived(
        followed && follower >= 0
          ? `NotNow${rt ? ` for ${rt}` : ''} at ${reports.where(nn)}, then ${reports.what(follower)} at ${reports.where(follower)} on the same connection`
          : `NotNow${rt ? ` for ${rt}` : ''} at ${reports.where(nn)} was the last status of its connection`,
      ),
      attrs,
    });
  }
}

/** After each NotNow, did the device poll again, and did the command come back? */
function resent(out: Collapser, reports: Reports, conns: Connections): void {
  const evs = conns.evs;
  for (let j = 0; j < evs.length; j++) {
    const nn = evs[j];
    if (reports.status(nn) !== 'NotNow') continue;
    const uuid = reports.uuid(nn);
    const rt = reports.rt(nn);
    if (reports.connectionOf(nn) < 0 || (!uuid && !rt)) continue;
    const at = conns.posOf[j];
    // The next connection only: a slice of every later one per NotNow is quadratic in a busy log.
    if (at + 1 >= conns.order.length) continue;
    const poll = conns.of(at + 1)[0];
    const again = conns.firstAfter(at, uuid, rt);
    if (out.counted('notnow.resent_after_poll', again !== undefined, { udid: reports.udid(nn), channel: reports.channel(nn), request_type: rt })) continue;
    const attrs: Record<string, string> = {
      udid: reports.udid(nn),
      channel: reports.channel(nn),
      notnow_at: reports.where(nn),
      polled_at: reports.where(poll),
    };
    if (rt) attrs.request_type = rt;
    if (uuid) attrs.command_uuid = uuid;
    if (again !== undefined) attrs.resent_at = reports.where(again);
    out.push({
      name: 'notnow.resent_after_poll',
      value: again !== undefined,
      source: derived(
        again !== undefined
          ? `the NotNow'd ${rt ?? uuid} came back at ${reports.where(again)} after the device polled again at ${reports.where(poll)}`
          : `the device polled again at ${reports.where(poll)} after the NotNow at ${reports.where(nn)}, and ${rt ?? uuid} was not sent again`,
        ['mdm.command.status', 'notnow.command_sent'],
      ),
      attrs,
    });
  }
}

/** Attributes that tell observations apart; the rest (which line, which connection) describe the first one seen. */
const KEY_ATTRS: Record<string, string[]> = {
  'notnow.command': ['udid', 'channel'],
  'notnow.channel': ['udid'],
  'notnow.followed_on_same_connection': ['udid', 'channel'],
  'notnow.resent_after_poll': ['udid', 'channel', 'request_type'],
  'notnow.done_later': ['udid'],
};

/**
 * A busy server's log holds thousands of NotNows; the rules only ask whether
 * some observation has a value. One fact per device, channel and value is
 * kept (the earliest, with its lines) and `times` counts the rest.
 */
class Collapser {
  private readonly out: Fact[] = [];
  private readonly kept = new Map<string, { fact: Fact; n: number }>();

  private static keyOf(name: string, value: unknown, attrs: Record<string, string | undefined> | undefined, keys: string[]): string {
    let k = `${name}\u0000${String(value)}`;
    for (const a of keys) k += `\u0000${attrs?.[a] ?? ''}`;
    return k;
  }

  /**
   * Counts one more observation if one like it is kept already (true), so the
   * caller need not build a fact, and its descriptions, that would be dropped.
   */
  counted(name: string, value: unknown, attrs: Record<string, string | undefined>): boolean {
    const keys = KEY_ATTRS[name];
    if (!keys) return false;
    const prev = this.kept.get(Collapser.keyOf(name, value, attrs, keys));
    if (prev) prev.n++;
    return !!prev;
  }

  push(f: Fact): void {
    const keys = KEY_ATTRS[f.name];
    if (!keys) {
      this.out.push(f);
      return;
    }
    const k = Collapser.keyOf(f.name, f.value, f.attrs, keys);
    const prev = this.kept.get(k);
    if (prev) prev.n++;
    else {
      this.kept.set(k, { fact: f, n: 1 });
      this.out.push(f);
    }
  }

  facts(): Fact[] {
    for (const { fact, n } of this.kept.values()) if (n > 1) fact.attrs = { ...fact.attrs, times: String(n) };
    return this.out;
  }
}

export const notnowDerivers: Deriver[] = [notnowSequence];
