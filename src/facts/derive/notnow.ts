import { ConnectionTracker } from '../connections.js';
import type { Fact, Source } from '../schema.js';
import { append, compare, firstAfter, onePerLine, toEvents, what, where, type Ev, type Seen } from './notnowEvents.js';
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
  const statuses = toEvents(onePerLine(statusFacts), 'status', 0);
  const sent = toEvents(index.get('notnow.command_sent') ?? [], 'sent', statuses.length);
  // Collapsed as they are made: a busy log holds hundreds of thousands of NotNows, each giving several facts.
  const out = new Collapser();
  refusals(out, statuses);
  const byEnrollment = sequenced(statuses, sent);
  for (const enrollment of [...byEnrollment.keys()].sort()) enrollmentFacts(out, enrollment, byEnrollment.get(enrollment)!);
  return out.facts();
};

/** Whether any NotNow was seen, and what was refused on which channel: also for results without a time (a single plist). */
function refusals(out: Collapser, statuses: Ev[]): void {
  const notNows = statuses.filter((e) => e.status === 'NotNow').sort(compare);
  out.push({
    name: 'notnow.seen',
    value: notNows.length > 0,
    source: derived(
      notNows.length ? `${notNows.length} NotNow status(es), first at ${where(notNows[0])}` : `none of ${statuses.length} command status(es) read was NotNow`,
    ),
  });
  for (const e of notNows) {
    // Most NotNows of a busy log repeat one already kept: counted without building their facts.
    const key = { udid: e.udid, channel: e.channel };
    if (e.rt && !out.counted('notnow.command', commandName(e.rt), key)) {
      const attrs: Record<string, string> = { udid: e.udid, channel: e.channel };
      if (e.uuid) attrs.command_uuid = e.uuid;
      if (e.connection) attrs.connection = e.connection;
      out.push({
        name: 'notnow.command',
        value: commandName(e.rt),
        source: derived(`RequestType ${e.rt} of the NotNow at ${where(e)}`),
        attrs: { ...attrs, request_type: e.rt },
      });
    }
    if (!out.counted('notnow.channel', e.channel, key))
      out.push({
        name: 'notnow.channel',
        value: e.channel,
        source: derived(`channel of the NotNow at ${where(e)}`),
        attrs: { udid: e.udid, ...(e.uuid ? { command_uuid: e.uuid } : {}) },
      });
  }
}

/** The reports that can be put in order (a time or a connection), each on its connection, by enrollment. */
function sequenced(statuses: Ev[], sent: Ev[]): Map<string, Ev[]> {
  const ordered = [...statuses, ...sent].filter((e) => e.fact.at || e.connection).sort(compare);
  const tracker = new ConnectionTracker();
  for (const e of ordered) {
    if (e.kind === 'status' && !e.connection) e.connection = tracker.assign(e.enrollment, e.status!, e.fact.at);
    if (e.kind === 'sent' && !e.connection) e.connection = tracker.current(e.enrollment);
  }
  const byEnrollment = new Map<string, Ev[]>();
  for (const e of ordered) {
    const list = byEnrollment.get(e.enrollment);
    if (list) list.push(e);
    else byEnrollment.set(e.enrollment, [e]);
  }
  return byEnrollment;
}

/** One enrollment's connections in the order they began, and where each command (by UUID, by RequestType) turns up in them. */
interface Connections {
  order: string[];
  /** Each connection's events, by its place in `order`. */
  events: Ev[][];
  pos: Map<string, number>;
  byUuid: Map<string, Seen[]>;
  byType: Map<string, Seen[]>;
}

function connectionsOf(evs: Ev[]): Connections {
  // One map, connection to place: a busy log opens a connection per NotNow, and a second map of lists cost tens of MB.
  const order: string[] = [];
  const events: Ev[][] = [];
  const pos = new Map<string, number>();
  for (const e of evs) {
    if (!e.connection) continue;
    const at = pos.get(e.connection);
    if (at === undefined) {
      pos.set(e.connection, order.length);
      order.push(e.connection);
      events.push([e]);
    } else events[at].push(e);
  }
  // One pass, not one per NotNow.
  const byUuid = new Map<string, Seen[]>();
  const byType = new Map<string, Seen[]>();
  for (const [i, e] of evs.entries()) {
    if (e.status === 'Idle' || !e.connection) continue;
    const seen = { pos: pos.get(e.connection)!, order: i, ev: e };
    if (e.uuid) append(byUuid, e.uuid, seen);
    if (e.rt) append(byType, e.rt, seen);
  }
  for (const list of [...byUuid.values(), ...byType.values()]) list.sort((x, y) => x.pos - y.pos || x.order - y.order);
  return { order, events, pos, byUuid, byType };
}

function enrollmentFacts(out: Collapser, enrollment: string, evs: Ev[]): void {
  const reports = evs.filter((e) => e.kind === 'status');
  if (!reports.length) return;
  const last = reports[reports.length - 1];
  out.push({
    name: 'notnow.last_status_per_device',
    value: last.status!,
    source: derived(`last status of ${enrollment}, at ${where(last)}`),
    attrs: { udid: last.udid, channel: last.channel, ...(last.user ? { user: last.user } : {}) },
  });
  const conns = connectionsOf(evs);
  lastWords(out, conns);
  resent(out, evs, conns);
}

/** Is a NotNow the last word of its connection? */
function lastWords(out: Collapser, conns: Connections): void {
  for (const [i, c] of conns.order.entries()) {
    const inConn = conns.events[i].filter((e) => e.kind === 'status');
    const firstNotNow = inConn.findIndex((e) => e.status === 'NotNow');
    if (firstNotNow < 0) continue;
    const nn = inConn[firstNotNow];
    const follower = inConn.slice(firstNotNow + 1).find((e) => e.status !== 'NotNow' && e.status !== 'Idle');
    const lastInConn = inConn[inConn.length - 1];
    const followed = lastInConn.status !== 'NotNow';
    if (out.counted('notnow.followed_on_same_connection', followed, { udid: nn.udid, channel: nn.channel })) continue;
    const attrs: Record<string, string> = { udid: nn.udid, channel: nn.channel, connection: c, notnow_at: where(nn) };
    if (nn.rt) attrs.request_type = nn.rt;
    if (nn.uuid) attrs.command_uuid = nn.uuid;
    if (followed && follower) {
      attrs.followed_by = what(follower);
      attrs.followed_at = where(follower);
    }
    out.push({
      name: 'notnow.followed_on_same_connection',
      value: followed,
      source: derived(
        followed && follower
          ? `NotNow${nn.rt ? ` for ${nn.rt}` : ''} at ${where(nn)}, then ${what(follower)} at ${where(follower)} on the same connection`
          : `NotNow${nn.rt ? ` for ${nn.rt}` : ''} at ${where(nn)} was the last status of its connection`,
      ),
      attrs,
    });
  }
}

/** After each NotNow, did the device poll again, and did the command come back? */
function resent(out: Collapser, evs: Ev[], conns: Connections): void {
  for (const nn of evs.filter((e) => e.status === 'NotNow')) {
    if (!nn.connection || (!nn.uuid && !nn.rt)) continue;
    const at = conns.pos.get(nn.connection)!;
    // The next connection only: a slice of every later one per NotNow is quadratic in a busy log.
    if (at + 1 >= conns.order.length) continue;
    const poll = conns.events[at + 1][0];
    const again = firstAfter(nn.uuid ? conns.byUuid.get(nn.uuid) : undefined, at, nn.rt ? conns.byType.get(nn.rt) : undefined);
    if (out.counted('notnow.resent_after_poll', !!again, { udid: nn.udid, channel: nn.channel, request_type: nn.rt })) continue;
    const attrs: Record<string, string> = { udid: nn.udid, channel: nn.channel, notnow_at: where(nn), polled_at: where(poll) };
    if (nn.rt) attrs.request_type = nn.rt;
    if (nn.uuid) attrs.command_uuid = nn.uuid;
    if (again) attrs.resent_at = where(again);
    out.push({
      name: 'notnow.resent_after_poll',
      value: !!again,
      source: derived(
        again
          ? `the NotNow'd ${nn.rt ?? nn.uuid} came back at ${where(again)} after the device polled again at ${where(poll)}`
          : `the device polled again at ${where(poll)} after the NotNow at ${where(nn)}, and ${nn.rt ?? nn.uuid} was not sent again`,
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
