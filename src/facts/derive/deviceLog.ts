import { domainsMarkedBy } from '../catalog/index.js';
import { expandFacts } from '../fold.js';
import type { Fact, Source } from '../schema.js';
import { finish, type Steps } from '../steps.js';
import type { Deriver, SteppedDeriver } from './types.js';

type Index = Parameters<Deriver>[0];

const derived = (how: string, from: string[]): Source => ({ kind: 'derived', how, from });

/** Which log a fact came from: facts of one file keep their line order, facts of different files may not be comparable. */
function fileOf(f: Fact): string {
  const s = f.source;
  if (s.kind === 'file') return s.member ? `${s.input} › ${s.member}` : s.input;
  if (s.kind === 'pasted') return s.input;
  return '';
}

const baseName = (p: string) => p.replace(/[\\/]+$/, '').replace(/^.*[\\/]/, '') || p;

/** A log as a report names it: its file name (and place inside an archive), never where it sat on the machine that read it. */
function shownFile(f: Fact): string {
  const s = f.source;
  if (s.kind === 'file') return s.member ? `${baseName(s.input)} › ${s.member}` : baseName(s.input);
  if (s.kind === 'pasted') return s.input;
  return '';
}

function lineOf(f: Fact): number | undefined {
  return f.source.kind === 'file' || f.source.kind === 'pasted' ? f.source.line : undefined;
}

/** Order within one log: its lines when known (zone-proof), else the times. */
function byPosition(a: Fact, b: Fact): number {
  const la = lineOf(a);
  const lb = lineOf(b);
  if (la !== undefined && lb !== undefined && la !== lb) return la - lb;
  const ta = a.at ?? '';
  const tb = b.at ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/**
 * A status snapshot (`apsctl status`) prints one block per port, each with its own last push: its lines are
 * not in time order, so its events are ordered by their times (one file, one clock), and by line on a tie.
 */
const fromSnapshot = (f: Fact) => f.attrs?.from === 'apsctl status';

function byTime(a: Fact, b: Fact): number {
  const ta = a.at ?? '';
  const tb = b.at ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : (lineOf(a) ?? 0) - (lineOf(b) ?? 0);
}

/**
 * The same observation read twice (a file given twice) counts once: the first place, the last reading.
 * Two readings of one observation share their line, so a fact is compared whole (its identity string
 * built) only when another fact of its log is on the same line: a log's events cost no string each.
 */
function distinct(facts: readonly Fact[]): Fact[] {
  const out: Fact[] = [];
  /** Line → where in `out` the first fact on it is, until a second fact on that line makes it -1. */
  const firstOnLine = new Map<number, number>();
  /** Identity → where in `out`: facts with no line, and facts on a line shared with another. */
  const seen = new Map<string, number>();
  const keep = (f: Fact) => {
    const id = identity(f);
    const at = seen.get(id);
    if (at === undefined) {
      seen.set(id, out.length);
      out.push(f);
    } else out[at] = f;
  };
  for (const f of facts) {
    const line = lineOf(f);
    if (line === undefined) {
      keep(f);
      continue;
    }
    const first = firstOnLine.get(line);
    if (first === undefined) {
      firstOnLine.set(line, out.length);
      out.push(f);
      continue;
    }
    if (first >= 0) {
      seen.set(identity(out[first]), first);
      firstOnLine.set(line, -1);
    }
    keep(f);
  }
  return out;
}

/** Everything a fact says, as one string: built by hand (a JSON.stringify per event was a fifth of a busy bundle's diagnosis). */
function identity(f: Fact): string {
  const s = f.source;
  let k = `${f.name}\u0000${typeof f.value}:${String(f.value)}\u0000${f.at ?? ''}\u0000`;
  k += s.kind === 'file' ? `file\u0000${s.input}\u0000${s.member ?? ''}\u0000${s.line ?? ''}` : JSON.stringify(s);
  if (f.attrs) for (const a in f.attrs) k += `\u0000${a}=${f.attrs[a]}`;
  return k;
}

/**
 * Facts by the log they came from, each log's facts distinct (see distinct()). The log's name is
 * made once per archive member, not once per fact: a busy bundle's logs hold thousands of events.
 */
function groupByFile(facts: readonly Fact[]): Map<string, Fact[]> {
  return finish(groupByFileSteps(facts));
}

/** Facts between two pauses of groupByFileSteps. */
const GROUP_BATCH = 1024;
/**
 * Logs between two pauses: a pause per log cost a push-heavy bundle (1,300 logs of a few apsd
 * events each) thousands of generator resumptions; a batch is well under a millisecond.
 */
const LOG_BATCH = 64;

/**
 * The same, pausing every thousand facts and after each log's facts are made distinct. The loops
 * run in plain functions (groupInto, distinct), which V8 optimises as it would without the pauses.
 */
function* groupByFileSteps(facts: readonly Fact[]): Steps<Map<string, Fact[]>> {
  const names = new Map<string, Map<string, string>>();
  const m = new Map<string, Fact[]>();
  for (let i = 0; i < facts.length; i += GROUP_BATCH) {
    groupInto(m, names, facts, i, Math.min(facts.length, i + GROUP_BATCH));
    yield;
  }
  // The same observation is always of the same log: each log's facts are made distinct on their own,
  // a pause after every LOG_BATCH logs (a push-heavy bundle has a thousand logs of a few events each).
  let n = 0;
  for (const [k, list] of m) {
    m.set(k, distinct(list));
    if (++n % LOG_BATCH === 0) yield;
  }
  return m;
}

/** facts[from, to) added to their log's list in m (names: each archive member's log name, made once). */
function groupInto(m: Map<string, Fact[]>, names: Map<string, Map<string, string>>, facts: readonly Fact[], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const f = facts[i]!;
    const s = f.source;
    let k: string;
    if (s.kind === 'file') {
      let byMember = names.get(s.input);
      if (!byMember) names.set(s.input, (byMember = new Map()));
      const member = s.member ?? '';
      const known = byMember.get(member);
      if (known === undefined) byMember.set(member, (k = fileOf(f)));
      else k = known;
    } else k = fileOf(f);
    const list = m.get(k);
    if (list) list.push(f);
    else m.set(k, [f]);
  }
}

/** When an event happened, as the log wrote it, with what is known of its zone. */
function whenOf(f: Fact): string {
  const logged = f.attrs?.logged_at;
  const zone = f.attrs?.zone;
  if (f.at && !zone) return f.at.replace('.000Z', 'Z');
  // An offset the log wrote: ISO-8601 with that offset, which the report shows in UTC beside the log's own clock.
  const off = /^([+-])(\d{2}):(\d{2})$/.exec(zone ?? '');
  if (f.at && off && Number.isFinite(Date.parse(f.at))) {
    const minutes = (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3]));
    return `${new Date(Date.parse(f.at) + minutes * 60_000).toISOString().replace(/\.000Z$|Z$/, '')}${zone}`;
  }
  if (logged) return zone === 'unknown' || !zone ? `${logged} (the log gives no zone)` : `${logged}`;
  return f.at ?? 'a time the log does not give';
}

const UP = ['device.log.courier_connected', 'device.log.push_received', 'device.log.push_identity_obtained'];
const DOWN = ['device.log.push_network_error', 'device.log.push_identity_failure'];
const DROPPED = 'device.log.connection_failure';

const PROBLEM_WORDS: Record<string, string> = {
  dns: "the device could not resolve Apple's push host names (a DNS failure)",
  offline: 'the device had no internet connection',
  timeout: 'its connections to APNs timed out',
  refused: 'its connections to APNs were refused',
  unreachable: 'its network connection to APNs was lost',
  tls: "the TLS handshake with APNs' courier failed",
  courier: "apsd's connection to an APNs courier failed",
  identity: 'apsd could not obtain the identity the device connects to APNs with (BAA certificate / device identity)',
  disconnect: 'apsd dropped its connection after a failure and never connected',
};

function kindOf(f: Fact): string {
  if (f.name === 'device.log.push_identity_failure') return 'identity';
  if (f.name === DROPPED) return 'disconnect';
  return f.attrs?.kind ?? 'courier';
}

/** Where one log's events leave apsd's connection: its last event, and whether that is a failure. */
interface LogEnd {
  file: string;
  ordered: Fact[];
  last: Fact;
  down: boolean;
}

function logEnd(file: string, list: Fact[]): LogEnd {
  const ordered = [...list].sort(list.every(fromSnapshot) ? byTime : byPosition);
  const last = ordered.at(-1)!;
  const everUp = ordered.some((f) => UP.includes(f.name));
  return { file, ordered, last, down: DOWN.includes(last.name) || (last.name === DROPPED && !everUp) };
}

/** Appends every fact of `from` (a loop: a long log's events are more than a call's arguments may hold). */
function appendAll(to: Fact[], from: readonly Fact[]): void {
  for (const f of from) to.push(f);
}

/** Times both known in a known zone: logs of one device compare in time only then. */
const comparable = (f: Fact) => !!f.at && f.attrs?.zone !== 'unknown';

/** One log's connection fact (and its problem, when it ends down and never came back), appended to out. */
function connectionFacts(out: Fact[], { file, ordered, last, down }: LogEnd, latestUp: string | undefined): void {
  const recovered = down && !!latestUp && comparable(last) && last.at! < latestUp;
  const attrs: Record<string, string> = { file, last_seen: whenOf(last) };
  if (down) attrs.kind = kindOf(last);
  if (recovered) attrs.up_again_at = latestUp!;
  // Property by property (at only when known), in the order of a fact's keys: a spread per log copied an object each time.
  const connection: Fact = {
    name: 'device.log.push_connection',
    value: recovered ? 'recovered' : down ? 'down' : 'up',
    source: derived(`the last of apsd's ${ordered.length} connection events in ${file || 'the log'}`, [...new Set(ordered.map((f) => f.name))].sort()),
  };
  if (last.at) connection.at = last.at;
  connection.attrs = attrs;
  out.push(connection);
  if (down && !recovered) {
    const code = last.attrs?.code ? ` (error ${last.attrs.code})` : '';
    const where = lineOf(last) ? ` line ${lineOf(last)}` : '';
    const problem: Fact = {
      name: 'device.log.push_connection_problem',
      value: `${PROBLEM_WORDS[kindOf(last)] ?? PROBLEM_WORDS.courier}${code}, last logged ${whenOf(last)} (${shownFile(last) || 'the log'}${where})`,
      source: derived('the last push connection failure of a log whose connection ends down', [last.name]),
    };
    if (last.at) problem.at = last.at;
    problem.attrs = { kind: kindOf(last), file };
    out.push(problem);
  }
}

/**
 * Where apsd's push connection stood at the end of each log: down when the
 * last connection event is a failure (DNS, offline, timeout, TLS, no push
 * identity), up when it is a connection or a received push. A bare
 * "Disconnecting in response to connection failure" after a connection is
 * what any device logs when its network changes, so it counts as down only
 * when the log never shows a connection at all.
 */
const pushConnection: SteppedDeriver = function* (index) {
  const events: Fact[] = [];
  // Each name's observations are unfolded when first looked up (derive.ts): a pause after each.
  for (const n of [...UP, ...DOWN, DROPPED]) {
    appendAll(events, index.get(n) ?? []);
    yield;
  }
  if (!events.length) return [];
  const byFile = [...(yield* groupByFileSteps(events))].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const logs: LogEnd[] = [];
  for (const [file, list] of byFile) {
    logs.push(logEnd(file, list));
    if (logs.length % LOG_BATCH === 0) yield;
  }
  // Logs of one device compare in time only where both times are known in a known zone (a rotated
  // PersistentConnection log, a later export): a connection logged after another log's failure ends it.
  const latestUp = logs
    .filter((l) => !l.down && comparable(l.last))
    .map((l) => l.last.at!)
    .sort()
    .at(-1);
  const out: Fact[] = [];
  for (let i = 0; i < logs.length; i++) {
    connectionFacts(out, logs[i]!, latestUp);
    if ((i + 1) % LOG_BATCH === 0) yield;
  }
  return out;
};

/** apsd facts that say nothing about whether a case is about MDM or app pushes. */
const EITHER_DOMAIN = new Set([
  'device.log.courier_connected',
  'device.log.push_received',
  'device.log.push_ignored',
  'device.log.push_unknown_token',
  'device.log.push_environment',
]);

function someDomainKnown(index: Index): boolean {
  if (index.has('case.domain')) return true;
  for (const [name, facts] of index) {
    if (!EITHER_DOMAIN.has(name)) {
      if (facts.some((f) => domainsMarkedBy(f).length)) return true;
      continue;
    }
    // A received push names its topic when the log is not redacted: an MDM topic or an app's bundle id.
    if (facts.some((f) => f.attrs?.topic)) return true;
  }
  return false;
}

/**
 * apsd carries MDM and app pushes alike. When its log says the device cannot
 * hold its push connection and nothing else tells which kind of case this is,
 * both are looked at: the device side is broken for either.
 */
const pushConnectionDomain: Deriver = (index) => {
  const down = (index.get('device.log.push_connection') ?? []).filter((f) => f.value === 'down');
  if (!down.length || someDomainKnown(index)) return [];
  return [
    {
      name: 'device.log.push_connection_failing',
      value: true,
      source: derived('apsd logs show the push connection down and no other evidence says whether the case is about MDM or app pushes', [
        'device.log.push_connection',
      ]),
    },
  ];
};

/** A device-log line that shows the device reaching the MDM server and being answered. */
function reachedServer(f: Fact): boolean {
  if (f.name === 'device.log.command') return true;
  if (f.name === 'device.log.checkin') return /^2\d\d$/.test(f.attrs?.http_status ?? '');
  if (f.name === 'mdm.command.status') return f.attrs?.origin === 'device log';
  return false;
}

const CONTACTS = ['device.log.checkin', 'device.log.command', 'mdm.command.status'];

function deviceName(index: Index, f: Fact): string {
  if (f.attrs?.host) return f.attrs.host;
  const input = f.source.kind === 'file' || f.source.kind === 'pasted' ? f.source.input : undefined;
  const same = (name: string) => (index.get(name) ?? []).find((x) => x.source.kind === 'file' && x.source.input === input)?.value;
  const model = same('device.model') ?? same('device.platform');
  // Reports name inputs by their file name, never by where they sat on the machine that read them.
  if (model) return `the device of ${baseName(input ?? '')} (${String(model)})`;
  return `the device whose log is ${shownFile(f) || 'this paste'}`;
}

/**
 * The push path worked when a device's own log shows it reaching the MDM
 * server and being answered (mdmd "Transaction completed. Status: 200",
 * mdmclient processing a command). One note per log, at its latest such line.
 */
const pushPathWorked: Deriver = (index) => {
  // Command statuses come folded (derive/index.ts); what makes one a contact is the same for all its observations.
  const contacts = expandFacts(CONTACTS.flatMap((n) => index.get(n) ?? []).filter(reachedServer));
  const out: Fact[] = [];
  for (const [file, list] of [...groupByFile(contacts)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const last = [...list].sort(byPosition).at(-1)!;
    out.push({
      name: 'device.log.push_path_worked',
      value: `${deviceName(index, last)} reached the MDM server and was answered at ${whenOf(last)}`,
      source: derived(
        `the latest of ${list.length} device-log lines in ${file || 'the log'} showing the device talking to the MDM server`,
        [...new Set(list.map((f) => f.name))].sort(),
      ),
      ...(last.at ? { at: last.at } : {}),
      attrs: { file },
    });
  }
  return out;
};

/** Run after every other deriver: the domain check looks at everything derived before it. */
// "Enrolled, because its own log shows it processing commands" is derived with the push facts
// (derive/pushes.ts), which also keep contacts from before the failure or a CheckOut from counting.
export const deviceLogDerivers: (Deriver | SteppedDeriver)[] = [pushConnection, pushPathWorked, pushConnectionDomain];
