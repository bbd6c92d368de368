import { ConnectionTracker } from '../connections.js';
import { describeSource } from '../order.js';
import type { Fact, Source } from '../schema.js';
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

interface Ev {
  fact: Fact;
  kind: 'status' | 'sent';
  status?: string;
  enrollment: string;
  udid: string;
  channel: string;
  user?: string;
  connection?: string;
  uuid?: string;
  rt?: string;
  idx: number;
  /** Sort keys, computed once. */
  t: string;
  input: string;
  line: number;
}

function lineOf(s: Source): number {
  return s.kind === 'file' || s.kind === 'pasted' ? (s.line ?? 0) : 0;
}
const inputKeys = new Map<string, Map<string, string>>();
function inputOf(s: Source): string {
  if (s.kind !== 'file') return s.kind === 'pasted' ? s.input : '';
  // One string per log, not per status line (a busy server logs hundreds of thousands).
  let byMember = inputKeys.get(s.input);
  if (!byMember) {
    if (inputKeys.size > 10_000) inputKeys.clear();
    inputKeys.set(s.input, (byMember = new Map()));
  }
  const member = s.member ?? '';
  let k = byMember.get(member);
  if (k === undefined) byMember.set(member, (k = `${s.input}\u0000${member}`));
  return k;
}

/** Time first; within one second (NanoMDM logs whole seconds) the log's own line order decides. */
function compare(a: Ev, b: Ev): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  if (a.input !== b.input) return a.input < b.input ? -1 : 1;
  return a.line - b.line || a.idx - b.idx;
}

function toEvents(facts: readonly Fact[], kind: Ev['kind'], start: number): Ev[] {
  // Built property by property, in one shape: spreads per event cost a busy log seconds.
  const out = new Array<Ev>(facts.length);
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i];
    const a = fact.attrs ?? {};
    const udid = a.udid ?? '(unnamed device)';
    const user = a.user;
    const e: Ev = {
      fact,
      kind,
      status: kind === 'status' ? String(fact.value) : undefined,
      enrollment: user ? `${udid}:${user}` : udid,
      udid,
      channel: a.channel ?? (user ? 'user' : 'device'),
      user,
      connection: a.connection || undefined,
      uuid: a.command_uuid || undefined,
      rt: a.request_type || undefined,
      idx: start + i,
      t: fact.at ?? '',
      input: inputOf(fact.source),
      line: lineOf(fact.source),
    };
    out[i] = e;
  }
  return out;
}

function where(ev: Ev): string {
  return describeSource(ev.fact.source) + (ev.fact.at ? ` (${ev.fact.at})` : '');
}

function what(ev: Ev): string {
  const name = ev.rt ?? ev.uuid;
  return `${ev.status ?? 'sent'}${name ? ` for ${name}` : ''}`;
}

/**
 * One log line is one status report. When two readers took a status from the
 * same line (a device-log reader can match a server's "status=NotNow"), the
 * reading that names the device counts, so the sequence is not doubled.
 */
function onePerLine(facts: readonly Fact[]): Fact[] {
  // Keyed by input, then value, then line: no key string per status line.
  const byInput = new Map<string, Map<string, Map<number, Fact>>>();
  const out: Fact[] = [];
  let doubled = false;
  for (const f of facts) {
    const line = lineOf(f.source);
    if (!line) {
      out.push(f);
      continue;
    }
    let byValue = byInput.get(inputOf(f.source));
    if (!byValue) byInput.set(inputOf(f.source), (byValue = new Map()));
    const value = String(f.value);
    let byLine = byValue.get(value);
    if (!byLine) byValue.set(value, (byLine = new Map()));
    const prev = byLine.get(line);
    if (prev) doubled = true;
    if (!prev || (!prev.attrs?.udid && f.attrs?.udid)) byLine.set(line, f);
  }
  if (!doubled && !out.length) return facts as Fact[];
  // Each line's reading in the place its first reading had (the order the events are numbered in).
  const placed = new Set<Fact>();
  for (const f of facts) {
    const line = lineOf(f.source);
    if (!line) continue;
    const chosen = byInput.get(inputOf(f.source))!.get(String(f.value))!.get(line)!;
    if (!placed.has(chosen)) {
      placed.add(chosen);
      out.push(chosen);
    }
  }
  return out;
}

interface Seen {
  pos: number;
  /** Place in the enrollment's time-ordered events. */
  order: number;
  ev: Ev;
}

function append(m: Map<string, Seen[]>, k: string, v: Seen): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The earliest sighting in a connection after `pos`, by UUID or by RequestType (lists are in connection order). */
function firstAfter(a: Seen[] | undefined, pos: number, b: Seen[] | undefined): Ev | undefined {
  const first = (list?: Seen[]): Seen | undefined => {
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].pos <= pos) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  };
  const x = first(a);
  const y = first(b);
  if (!x) return y?.ev;
  if (!y) return x.ev;
  return y.pos < x.pos || (y.pos === x.pos && y.order < x.order) ? y.ev : x.ev;
}

export const notnowSequence: Deriver = (index) => {
  const statusFacts = index.get('mdm.command.status') ?? [];
  if (!statusFacts.length) return [];
  const statuses = toEvents(onePerLine(statusFacts), 'status', 0);
  const sent = toEvents(index.get('notnow.command_sent') ?? [], 'sent', statuses.length);
  // Collapsed as they are made: a busy log holds hundreds of thousands of NotNows, each giving several facts.
  const out = new Collapser();
  const derived = (how: string, from: string[] = ['mdm.command.status']): Source => ({ kind: 'derived', how, from });

  const notNows = statuses.filter((e) => e.status === 'NotNow').sort(compare);
  out.push({
    name: 'notnow.seen',
    value: notNows.length > 0,
    source: derived(notNows.length ? `${notNows.length} NotNow status(es), first at ${where(notNows[0])}` : `none of ${statuses.length} command status(es) read was NotNow`),
  });

  // What was refused, and on which channel: also for results without a time (a single plist).
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
      out.push({ name: 'notnow.channel', value: e.channel, source: derived(`channel of the NotNow at ${where(e)}`), attrs: { udid: e.udid, ...(e.uuid ? { command_uuid: e.uuid } : {}) } });
  }

  // Only reports with a time or a connection can be put in order.
  const sequenced = [...statuses, ...sent].filter((e) => e.fact.at || e.connection).sort(compare);
  const tracker = new ConnectionTracker();
  for (const e of sequenced) {
    if (e.kind === 'status' && !e.connection) e.connection = tracker.assign(e.enrollment, e.status!, e.fact.at);
    if (e.kind === 'sent' && !e.connection) e.connection = tracker.current(e.enrollment);
  }

  const byEnrollment = new Map<string, Ev[]>();
  for (const e of sequenced) {
    const list = byEnrollment.get(e.enrollment);
    if (list) list.push(e);
    else byEnrollment.set(e.enrollment, [e]);
  }

  for (const enrollment of [...byEnrollment.keys()].sort()) {
    const evs = byEnrollment.get(enrollment)!;
    const reports = evs.filter((e) => e.kind === 'status');
    if (!reports.length) continue;
    const last = reports[reports.length - 1];
    out.push({
      name: 'notnow.last_status_per_device',
      value: last.status!,
      source: derived(`last status of ${enrollment}, at ${where(last)}`),
      attrs: { udid: last.udid, channel: last.channel, ...(last.user ? { user: last.user } : {}) },
    });

    // Connections in the order they began.
    const connOrder: string[] = [];
    const conns = new Map<string, Ev[]>();
    for (const e of evs) {
      if (!e.connection) continue;
      if (!conns.has(e.connection)) {
        conns.set(e.connection, []);
        connOrder.push(e.connection);
      }
      conns.get(e.connection)!.push(e);
    }

    const connPos = new Map(connOrder.map((c, i) => [c, i]));
    // Where each command (by UUID, by RequestType) turns up, in connection order: one pass, not one per NotNow.
    const byUuid = new Map<string, Seen[]>();
    const byType = new Map<string, Seen[]>();
    for (const [order, e] of evs.entries()) {
      if (e.status === 'Idle' || !e.connection) continue;
      const seen = { pos: connPos.get(e.connection)!, order, ev: e };
      if (e.uuid) append(byUuid, e.uuid, seen);
      if (e.rt) append(byType, e.rt, seen);
    }
    for (const list of [...byUuid.values(), ...byType.values()]) list.sort((x, y) => x.pos - y.pos || x.order - y.order);

    // Is a NotNow the last word of its connection?
    for (const c of connOrder) {
      const inConn = conns.get(c)!.filter((e) => e.kind === 'status');
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

    // After each NotNow, did the device poll again, and did the command come back?
    for (const nn of evs.filter((e) => e.status === 'NotNow')) {
      if (!nn.connection || (!nn.uuid && !nn.rt)) continue;
      const at = connPos.get(nn.connection)!;
      // The next connection only: a slice of every later one per NotNow is quadratic in a busy log.
      if (at + 1 >= connOrder.length) continue;
      const poll = conns.get(connOrder[at + 1])![0];
      const again = firstAfter(nn.uuid ? byUuid.get(nn.uuid) : undefined, at, nn.rt ? byType.get(nn.rt) : undefined);
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
  return out.facts();
};

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
