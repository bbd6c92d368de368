import { describeSource } from '../order.js';
import type { Fact, Source } from '../schema.js';

// The command statuses and commands sent that the NotNow derivation orders: one event per report,
// with its sort keys, and the lookups the sequence needs (where a command turns up again).

export interface Ev {
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
export function compare(a: Ev, b: Ev): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  if (a.input !== b.input) return a.input < b.input ? -1 : 1;
  return a.line - b.line || a.idx - b.idx;
}

export function toEvents(facts: readonly Fact[], kind: Ev['kind'], start: number): Ev[] {
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

export function where(ev: Ev): string {
  return describeSource(ev.fact.source) + (ev.fact.at ? ` (${ev.fact.at})` : '');
}

export function what(ev: Ev): string {
  const name = ev.rt ?? ev.uuid;
  return `${ev.status ?? 'sent'}${name ? ` for ${name}` : ''}`;
}

/**
 * One log line is one status report. When two readers took a status from the
 * same line (a device-log reader can match a server's "status=NotNow"), the
 * reading that names the device counts, so the sequence is not doubled.
 */
export function onePerLine(facts: readonly Fact[]): Fact[] {
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

export interface Seen {
  pos: number;
  /** Place in the enrollment's time-ordered events. */
  order: number;
  ev: Ev;
}

export function append(m: Map<string, Seen[]>, k: string, v: Seen): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The earliest sighting in a connection after `pos`, by UUID or by RequestType (lists are in connection order). */
export function firstAfter(a: Seen[] | undefined, pos: number, b: Seen[] | undefined): Ev | undefined {
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
