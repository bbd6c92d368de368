import { atOf, attrAt, entry, lineAt, msOf, sourceAt } from '../fold.js';
import { describeSource } from '../order.js';
import type { Fact, Source } from '../schema.js';
import { rotationOrder } from '../time.js';
import { onePerLine } from './notnowLines.js';

/**
 * The command statuses and commands sent that the NotNow derivation orders,
 * read straight from the facts as they are kept (folded: one fact with a
 * column per field for a busy log's half a million lines). Each report is a
 * number; its fields are read from the fact and column it came from, and no
 * object is built per report. Only the few reports a derived fact names are
 * described in words.
 */

/** What one fact says for every report it stands for (folding keeps these the same within a fact). */
interface Common {
  fact: Fact;
  status?: string;
  enrollment: string;
  udid: string;
  channel: string;
  user?: string;
  rt?: string;
  /** input and member, when every report of the fact is in one. */
  input?: string;
}

const inputKeys = new Map<string, Map<string, string>>();
/** One sort key per log (input and archive member): never one string per status line. */
function inputOf(s: Source): string {
  if (s.kind !== 'file') return s.kind === 'pasted' ? s.input : '';
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

function commonOf(fact: Fact, kind: 'status' | 'sent'): Common {
  const a = fact.attrs ?? {};
  const udid = a.udid ?? '(unnamed device)';
  const user = a.user;
  const channel = a.channel ?? (user ? 'user' : 'device');
  return {
    fact,
    status: kind === 'status' ? String(fact.value) : undefined,
    // A user channel named by its type alone (no user id) is still an enrollment apart from the device channel.
    enrollment: user ? `${udid}:${user}` : channel === 'user' ? `${udid} (user channel)` : udid,
    udid,
    channel,
    user,
    rt: a.request_type || undefined,
    input: fact.fold?.each.member ? undefined : inputOf(fact.source),
  };
}

/** Reports in the order the derivation numbers them: statuses first (one per log line), then commands sent. */
export class Reports {
  private readonly commons: Common[] = [];
  /** Per report: its fact's place in `commons`, and its observation in that fact (-1: the fact is not folded). */
  /**
   * Per report: its fact's place in `commons`. Kept only for many facts or once reports are renumbered: a
   * busy log's reports are a few folded facts' observations, found from `first` by a search.
   */
  private fi?: Int32Array;
  /**
   * Per report, its observation in the fact, only once reports are renumbered (see onePerLine): until then a
   * folded fact's reports are numbered in its observations' order from `first[c]`, so it is computed.
   */
  private oi?: Int32Array;
  /** Per fact (its place in `commons`): its first report's number, before any renumbering. */
  private readonly first: Int32Array;
  /**
   * Per report: its connection as a number (-1: none; assigned later for those that name none), and
   * each number's id. A busy log's half a million reports hold two numbers' worth, not a string each.
   */
  private readonly conn: Int32Array;
  private readonly connNames: string[] = [];
  /** Connection numbers by log, then by id (no key string made per report). */
  private readonly connIds = new Map<string, Map<string, number>>();
  /**
   * Per report, its time as milliseconds (-Infinity: none): ISO times compare as their instants do.
   * Only when some time is not in the canonical form are the strings themselves kept (`texts`).
   */
  private readonly ms: Float64Array;
  private texts?: string[];
  /** Per report: its input and member as a number into `inputNames` (a log's reports share one). */
  private inputs?: Int32Array;
  private readonly inputNames: string[] = [];
  /** How many of the reports are statuses (they come first). */
  readonly statuses: number;
  readonly length: number;

  constructor(statusFacts: readonly Fact[], sentFacts: readonly Fact[]) {
    let n = 0;
    for (const f of statusFacts) n += f.fold?.count ?? 1;
    let m = 0;
    for (const f of sentFacts) m += f.fold?.count ?? 1;
    const facts = statusFacts.length + sentFacts.length;
    const fi = facts > 256 ? new Int32Array(n + m) : undefined;
    this.fi = fi;
    this.first = new Int32Array(statusFacts.length + sentFacts.length);
    let k = 0;
    for (const [facts, kind] of [
      [statusFacts, 'status'],
      [sentFacts, 'sent'],
    ] as const)
      for (const f of facts) {
        const c = this.commons.length;
        this.commons.push(commonOf(f, kind));
        this.first[c] = k;
        const count = f.fold ? f.fold.count : 1;
        if (fi) fi.fill(c, k, k + count);
        k += count;
      }
    const kept = onePerLine(this, n);
    if (kept) {
      // Reports renumbered: the chosen statuses in their order, then every command sent.
      const fi = new Int32Array(kept.length + m);
      const oi = new Int32Array(kept.length + m);
      kept.forEach((r, j) => {
        fi[j] = this.factIndex(r);
        oi[j] = this.obs(r);
      });
      for (let r = n; r < n + m; r++) {
        fi[kept.length + r - n] = this.factIndex(r);
        oi[kept.length + r - n] = this.obs(r);
      }
      this.fi = fi;
      this.oi = oi;
      n = kept.length;
    }
    this.statuses = n;
    this.length = n + m;
    this.conn = new Int32Array(this.length);
    this.ms = new Float64Array(this.length);
    const inputIds = new Map<string, number>();
    for (let r = 0; r < this.length; r++) {
      const c = this.commons[this.factIndex(r)];
      const input = c.input ?? inputOf(this.source(r));
      // A connection is one log's: two files (rotated logs) may each name one opened in the same second.
      this.conn[r] = this.connIdOf(this.attr(r, 'connection'), input);
      this.ms[r] = this.timeKey(r);
      let id = inputIds.get(input);
      if (id === undefined) {
        inputIds.set(input, (id = this.inputNames.length));
        this.inputNames.push(input);
      }
      // Allocated at the first report of a second log: most cases have one.
      if (id > 0 && !this.inputs) this.inputs = new Int32Array(this.length);
      if (this.inputs) this.inputs[r] = id;
    }
  }

  private connIdOf(name: string | undefined, input: string): number {
    if (!name) return -1;
    let ids = this.connIds.get(input);
    if (!ids) this.connIds.set(input, (ids = new Map()));
    let id = ids.get(name);
    if (id === undefined) {
      ids.set(name, (id = this.connNames.length));
      this.connNames.push(name);
    }
    return id;
  }

  /** The report's connection as a number (-1: none); numbers are the same for the same id. */
  connectionOf(r: number): number {
    return this.conn[r];
  }
  /** The id a connection number stands for. */
  connectionName(c: number): string {
    return this.connNames[c];
  }
  setConnection(r: number, name: string | undefined): void {
    this.conn[r] = this.connIdOf(name, '');
  }
  /** Whether the report has a time (without writing it out). */
  hasTime(r: number): boolean {
    return this.texts ? this.texts[r] !== '' : this.ms[r] !== Number.NEGATIVE_INFINITY;
  }

  /** The report's observation in its fact (-1: the fact is not folded). */
  private obs(r: number): number {
    if (this.oi) return this.oi[r];
    const c = this.factIndex(r);
    return this.commons[c].fact.fold ? r - this.first[c] : -1;
  }

  /** The report's fact's place in `commons`: the last fact whose first report is at or before it. */
  private factIndex(r: number): number {
    if (this.fi) return this.fi[r];
    const first = this.first;
    let lo = 0;
    let hi = first.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (first[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private common(r: number): Common {
    return this.commons[this.factIndex(r)];
  }

  fact(r: number): Fact {
    return this.common(r).fact;
  }
  isStatus(r: number): boolean {
    return r < this.statuses;
  }
  status(r: number): string | undefined {
    return this.common(r).status;
  }
  enrollment(r: number): string {
    return this.common(r).enrollment;
  }
  udid(r: number): string {
    return this.common(r).udid;
  }
  channel(r: number): string {
    return this.common(r).channel;
  }
  user(r: number): string | undefined {
    return this.common(r).user;
  }
  rt(r: number): string | undefined {
    return this.common(r).rt;
  }
  uuid(r: number): string | undefined {
    return this.attr(r, 'command_uuid');
  }
  /** The report's time ('' when it has none). */
  time(r: number): string {
    if (this.texts) return this.texts[r];
    const ms = this.ms[r];
    return ms === Number.NEGATIVE_INFINITY ? '' : new Date(ms).toISOString();
  }

  /** The report's time as a number that sorts as its string does; the strings are kept instead at the first that would not. */
  private timeKey(r: number): number {
    const f = this.fact(r);
    const i = this.obs(r);
    // A time kept as an offset in the fold was canonical when it was read.
    if (i >= 0 && typeof entry(f.fold!.each.at, i) === 'number') return msOf(f, i);
    const at = this.at(r);
    if (!at) return Number.NEGATIVE_INFINITY;
    const ms = Date.parse(at);
    if (!this.texts && !(ms >= 0 && ms < 253402300800000 && new Date(ms).toISOString() === at)) {
      this.texts = [];
      for (let q = 0; q < this.length; q++) this.texts.push(this.at(q));
    }
    return ms;
  }

  private attr(r: number, k: string): string | undefined {
    const f = this.fact(r);
    const i = this.obs(r);
    return (i < 0 ? f.attrs?.[k] : attrAt(f, i, k)) || undefined;
  }
  private at(r: number): string {
    const f = this.fact(r);
    const i = this.obs(r);
    return i < 0 ? (f.at ?? '') : atOf(f, i);
  }
  line(r: number): number {
    const f = this.fact(r);
    const i = this.obs(r);
    if (i >= 0) return lineAt(f, i);
    return f.source.kind === 'file' || f.source.kind === 'pasted' ? (f.source.line ?? 0) : 0;
  }
  source(r: number): Source {
    const f = this.fact(r);
    const i = this.obs(r);
    return i < 0 ? f.source : sourceAt(f, i);
  }
  /** Input and member of a report, as one key (status reports, before numbering: see onePerLine). */
  inputKey(r: number): string {
    return this.common(r).input ?? inputOf(this.source(r));
  }

  /** Time first; within one second (NanoMDM logs whole seconds) the log's own line order decides. */
  readonly compare = (a: number, b: number): number => {
    if (this.texts) {
      const ta = this.texts[a];
      const tb = this.texts[b];
      if (ta !== tb) return ta < tb ? -1 : 1;
    } else {
      const ta = this.ms[a];
      const tb = this.ms[b];
      if (ta !== tb) return ta < tb ? -1 : 1;
    }
    const ia = this.inputs ? this.inputs[a] : 0;
    const ib = this.inputs ? this.inputs[b] : 0;
    // Two logs in one second: a rotated log's older file first (its name says so), else by name, which is only a
    // stable order: see `tied`.
    if (ia !== ib) return rotationOrder(this.inputNames[ia], this.inputNames[ib]) || (this.inputNames[ia] < this.inputNames[ib] ? -1 : 1);
    // Lines read from the facts when times and logs tie (a whole-second log's lines within one second).
    return this.line(a) - this.line(b) || a - b;
  };

  /** Whether two reports share a time but not a log, and nothing says which came first: `compare` ordered them by name only. */
  tied(a: number, b: number): boolean {
    if (this.time(a) !== this.time(b) || !this.time(a)) return false;
    const ia = this.inputs ? this.inputs[a] : 0;
    const ib = this.inputs ? this.inputs[b] : 0;
    return ia !== ib && rotationOrder(this.inputNames[ia], this.inputNames[ib]) === 0;
  }

  /** Where a report was read, and when. */
  where(r: number): string {
    const t = this.time(r);
    return describeSource(this.source(r)) + (t ? ` (${t})` : '');
  }

  /** What a report says: "NotNow for DeviceLock", "sent for <uuid>". */
  what(r: number): string {
    const name = this.rt(r) ?? this.uuid(r);
    return `${this.status(r) ?? 'sent'}${name ? ` for ${name}` : ''}`;
  }
}
