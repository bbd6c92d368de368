import { factDefinition } from './catalog/index.js';
import { factKey } from './order.js';
import { Columns, expandFacts, howOf, lineOf, memberOf, OCCURRENCE_ATTRS, observation } from './foldColumns.js';
import type { Fact } from './schema.js';
import type { Steps } from './steps.js';

export { atOf, attrAt, entry, examplesOf, expandFacts, lineAt, msOf, observation, sourceAt } from './foldColumns.js';

/**
 * Folding: repeated observations of one fact from one input become one fact
 * with a count, so that a log of half a million lines yields a handful of
 * facts, not half a million.
 *
 * Folding loses nothing. The folded fact is the first observation, and its
 * `fold.each` keeps, column by column, what tells every observation from the
 * next (time, line, archive member, and the few attributes that name one
 * occurrence: its logged time, its connection, its command). `expandFacts`
 * gives back every observation, so the derivations that need each event in
 * order (a push and the same device's next contact, the NotNow sequence of
 * a connection, the last apsd line of each log) see all of them, however the
 * evidence was stored; what the engine and the report see is folded.
 *
 * Observations fold together when they agree on everything else: fact name,
 * value (or "the value is its own time", for events), the input they were
 * read from, and every other attribute. So the rules, which only ask whether
 * some observation has a value, judge a folded set as they judge the full one.
 */

/** How many observations a fact stands for. */
export function occurrences(f: Fact): number {
  return f.fold?.count ?? 1;
}

const SEP = '\u0000';

/** Where a group may gather observations from: one input (all its archive members), one paste, one derivation. */
function scopeOf(f: Fact): string | undefined {
  const s = f.source;
  switch (s.kind) {
    case 'file':
      return s.input;
    case 'pasted':
      return `pasted${SEP}${s.input}`;
    case 'derived':
      // Derived facts are few and each says something of its own (a failed push, with its time):
      // only those derived once per log are many.
      return factDefinition(f.name)?.perLog ? `derived${SEP}${s.from.join(',')}` : undefined;
    default:
      // An answer is one person's word at one time: never folded.
      return undefined;
  }
}

/** The attributes that say what was observed, in name order (readers write them in one order; sorting a handful is cheap). */
function attrsKey(attrs: Record<string, string>): string {
  // Most readers write them in name order already: then the key is built in one pass, with no list to sort.
  let inOrder = '';
  let prev = '';
  for (const k in attrs) {
    if (OCCURRENCE_ATTRS.has(k)) continue;
    if (k < prev) return sortedAttrsKey(attrs);
    prev = k;
    inOrder += `${k}=${attrs[k]}${SEP}`;
  }
  return inOrder;
}

function sortedAttrsKey(attrs: Record<string, string>): string {
  const keys: string[] = [];
  for (const k in attrs) if (!OCCURRENCE_ATTRS.has(k)) keys.push(k);
  if (keys.length > 1) keys.sort();
  let out = '';
  for (const k of keys) out += `${k}=${attrs[k]}${SEP}`;
  return out;
}

/** Marks "the value is the observation's own time" in place of the value. */
const OWN_TIME = Symbol('own time');

/**
 * Folds facts as they are added; facts() gives the result. Groups by scope,
 * name, value and attributes, one map per level: the levels are strings and
 * values the readers already hold, so a busy log costs no long key string
 * per line. A folded fact joins its group whole, and is unfolded only if
 * other observations join it (another read of the same input).
 */
export class FactFolder {
  private readonly root = new Map<string, Map<string, Map<unknown, Map<string, Group>>>>();
  /** Groups and facts that are not folded, in the order they first appeared. */
  readonly order: (Group | Fact)[] = [];
  private readonly single = new Set<string>();

  add(f: Fact): void {
    const scope = scopeOf(f);
    if (scope === undefined) {
      // Not folded, but the same observation given twice is still one.
      const id = factKey(f);
      if (!this.single.has(id)) {
        this.single.add(id);
        this.order.push(f);
      }
      return;
    }
    const byName = level(this.root, scope, () => new Map());
    const byValue = level(byName, f.name, () => new Map());
    const byAttrs = level(byValue, f.at !== undefined && f.value === f.at ? OWN_TIME : f.value, () => new Map());
    const key = f.attrs ? attrsKey(f.attrs) : '';
    const g = byAttrs.get(key);
    if (g) g.add(f);
    else {
      const group = new Group(f);
      byAttrs.set(key, group);
      this.order.push(group);
    }
  }

  facts(): Fact[] {
    return this.order.map(FactFolder.result);
  }

  /** The fact one entry of `order` stands for (callers that fold in slices take them one by one). */
  static result(o: Group | Fact): Fact {
    return o instanceof Group ? o.result() : o;
  }
}

/**
 * One group's observations. Readers give them in reading order, so they are
 * folded into columns as they come and none is kept whole: half a million
 * status lines hold their columns, not half a million facts. An archive's
 * members come in archive order, not name order: the columns are kept in
 * the order the observations came, in runs of one member each, and put in
 * reading order at the end (the runs sorted by member), none kept whole.
 * Only a fact that comes folded already (a stored case) or out of order
 * within one member (a file given twice, derivations from many logs) makes
 * the group keep its observations as facts, to fold at the end.
 */
class Group {
  private list?: Fact[];
  private readonly first: Fact;
  private last: Fact;
  private count = 1;
  private cols?: Columns;
  /** Where each run after the first starts, and its first observation (as read: the result may start with it). */
  private runStarts?: number[];
  private runFirsts?: Fact[];

  constructor(f: Fact) {
    this.first = f;
    this.last = f;
    if (f.fold) this.list = [f];
  }

  add(f: Fact): void {
    if (!this.list) {
      // A new member starts a run of its own; out of order within one member (a file read twice, derivations
      // of many logs), the group is kept as facts from here on.
      if (f.fold) this.list = this.facts();
      else if (memberOf(f) !== memberOf(this.last)) {
        (this.runStarts ??= []).push(this.count);
        (this.runFirsts ??= []).push(f);
      } else if (compareOccurrences(this.last, f) >= 0) this.list = this.facts();
    }
    if (this.list) {
      this.list.push(f);
      return;
    }
    if (!this.cols) {
      this.cols = new Columns();
      this.cols.push(this.first, 0);
    }
    this.cols.push(f, this.count);
    this.count++;
    this.last = f;
  }

  /** The observations taken so far, as facts, in the order they came (the first of each run as it came). */
  private facts(): Fact[] {
    if (!this.cols) return [this.first];
    const out = expandFacts([{ ...this.first, fold: this.cols.fold(this.count) }]);
    out[0] = this.first;
    const starts = this.runStarts ?? [];
    for (let r = 0; r < starts.length; r++) out[starts[r]] = this.runFirsts![r];
    this.cols = undefined;
    this.runStarts = undefined;
    this.runFirsts = undefined;
    return out;
  }

  private folded?: Fact;

  /** The folded fact (worked out once: putting the runs in order changes the columns). */
  result(): Fact {
    return (this.folded ??= this.fold());
  }

  private fold(): Fact {
    const o = this.list;
    if (o) {
      // Alone in its group: an observation as it was read, or a fold that nothing else joins.
      if (o.length === 1) return o[0];
      return foldGroup(o.some((f) => f.fold) ? expandFacts(o) : o);
    }
    if (!this.cols) return this.first;
    if (!this.runStarts) return { ...this.first, fold: this.cols.fold(this.count) };
    return this.runsInReadingOrder();
  }

  /** The runs sorted by member (stable): reading order, unless a member's runs overlap (then folded from facts). */
  private runsInReadingOrder(): Fact {
    const starts = [0, ...this.runStarts!];
    const firsts = [this.first, ...this.runFirsts!];
    const runs = starts.map((from, r) => ({ from, to: r + 1 < starts.length ? starts[r + 1] : this.count, first: firsts[r], member: memberOf(firsts[r]) }));
    runs.sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : a.from - b.from));
    let asCame = true;
    let folded: Fact | undefined;
    for (let r = 1; r < runs.length; r++) {
      if (runs[r].from < runs[r - 1].from) asCame = false;
      if (runs[r].member !== runs[r - 1].member) continue;
      // The same member in two runs (a member that comes back): in reading order only if the second starts after the first ends.
      folded ??= { ...this.first, fold: this.cols!.fold(this.count) };
      if (compareOccurrences(observation(folded, runs[r - 1].to - 1), runs[r].first) >= 0) return foldGroup(this.facts());
    }
    const cols = this.cols!;
    if (!asCame) cols.reorder(runs.map((r) => [r.from, r.to] as const));
    return { ...runs[0].first, fold: cols.fold(this.count) };
  }
}

function level<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

function occurrenceAttrs(f: Fact): string {
  if (!f.attrs) return '';
  let s = '';
  for (const k of Object.keys(f.attrs).sort()) if (OCCURRENCE_ATTRS.has(k)) s += `${k}=${f.attrs[k]}${SEP}`;
  return s;
}

/** Reading order: archive member, line, time, then what tells two observations of one line apart. */
function compareOccurrences(a: Fact, b: Fact): number {
  const ma = memberOf(a);
  const mb = memberOf(b);
  if (ma !== mb) return ma < mb ? -1 : 1;
  const la = lineOf(a);
  const lb = lineOf(b);
  if (la !== lb) return la - lb;
  const ta = a.at ?? '';
  const tb = b.at ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ha = howOf(a);
  const hb = howOf(b);
  if (ha !== hb) return ha < hb ? -1 : 1;
  const oa = occurrenceAttrs(a);
  const ob = occurrenceAttrs(b);
  return oa < ob ? -1 : oa > ob ? 1 : 0;
}

/**
 * The observations in reading order (what a stable sort by compareOccurrences gives), the same
 * observation read twice (a file given twice) once. Sorted by archive member first, each member's
 * name compared once: an archive's logs come in archive order, not name order, and comparing two
 * long member paths per comparison was most of folding a push-heavy bundle's thousand apsd logs.
 */
function inReadingOrder(list: readonly Fact[]): Fact[] {
  const byMember = new Map<string, Fact[]>();
  for (const f of list) {
    const m = memberOf(f);
    const b = byMember.get(m);
    if (b) b.push(f);
    else byMember.set(m, [f]);
  }
  const members = [...byMember.keys()];
  if (members.length > 1) members.sort((a, b) => (a < b ? -1 : 1));
  const kept: Fact[] = [];
  for (const m of members) {
    const b = byMember.get(m)!;
    // Readers emit in reading order, and unfolding gives it back: sort only when the inputs interleave.
    for (let i = 1; i < b.length; i++)
      if (compareOccurrences(b[i - 1], b[i]) > 0) {
        b.sort(compareOccurrences);
        break;
      }
    for (const f of b) if (!kept.length || compareOccurrences(kept[kept.length - 1], f) !== 0) kept.push(f);
  }
  return kept;
}

function foldGroup(list: Fact[]): Fact {
  const kept = inReadingOrder(list);
  const first = kept[0];
  if (kept.length === 1) return first;
  const cols = new Columns();
  kept.forEach((f, i) => cols.push(f, i));
  return { ...first, fold: cols.fold(kept.length) };
}

/**
 * Folds repeated observations; every other fact passes through as it is.
 * Linear in the number of observations (plus sorting each group into
 * reading order), and the result does not depend on the order facts come in.
 * Facts that are folded already are unfolded first, so folding folded facts
 * (several inputs, a stored case) merges their groups.
 */
export function foldFacts(facts: readonly Fact[]): Fact[] {
  const folder = new FactFolder();
  for (const f of facts) folder.add(f);
  return folder.facts();
}

/** Facts added between two pauses of foldFactsSteps. */
const FOLD_BATCH = 1024;

/**
 * foldFacts, pausing every thousand facts and after each group's fold (a
 * push-heavy bundle's derived observations took 30-40 ms folded at once):
 * the same facts in the same order. The adding runs in a plain function,
 * which V8 optimises as it would without the pauses.
 */
export function* foldFactsSteps(facts: readonly Fact[]): Steps<Fact[]> {
  const folder = new FactFolder();
  for (let i = 0; i < facts.length; i += FOLD_BATCH) {
    addAll(folder, facts, i, Math.min(facts.length, i + FOLD_BATCH));
    yield;
  }
  const out: Fact[] = [];
  for (const o of folder.order) {
    out.push(FactFolder.result(o));
    yield;
  }
  return out;
}

function addAll(folder: FactFolder, facts: readonly Fact[], from: number, to: number): void {
  for (let i = from; i < to; i++) folder.add(facts[i]!);
}
