import type { Fact, Fold, FoldColumn, FoldColumns, Source } from './schema.js';

/**
 * The columns of a folded fact (facts/fold.ts): how they are filled as
 * observations arrive, and how each observation is read back, whole or one
 * field at a time. Derivations that walk hundreds of thousands of
 * observations read the fields they need from here, without rebuilding a
 * fact per observation.
 */

/**
 * Attributes that name one occurrence rather than what was observed: never
 * named by a rule, and different on every line of a busy log.
 */
export const OCCURRENCE_ATTRS: ReadonlySet<string> = new Set([
  'logged_at',
  'timestamp',
  'connection',
  'command_uuid',
  'apns_id',
  // The devices a push on the server's topic was for (NanoMDM's topic line): one topic fact stands for every device's pushes.
  'pushed_to',
  // Derived per log or per occurrence: which file, and where in it.
  'file',
  'last_seen',
  'up_again_at',
  'notnow_at',
  'polled_at',
  'resent_at',
  'followed_at',
  'followed_by',
]);

/**
 * Times after the first are kept as milliseconds from the first when that
 * gives the same ISO string back: a small integer costs a column slot, a
 * string per line costs tens of bytes. Beyond about twelve days from the
 * first (where V8's small integers end) the time is kept as written.
 */
const MAX_OFFSET = 2 ** 30 - 1;

/**
 * A value as the fold keeps it: one string per distinct value, and not a
 * slice of the log line it was read from (V8 keeps a substring's whole line
 * alive: a column of half a million command ids would hold every line).
 */
function keep(v: string, seen: Map<string, string>): string {
  let k = seen.get(v);
  if (k === undefined) {
    // Concatenating and cutting again makes a string of its own; short ones are copies already.
    k = v.length < 13 ? v : `${v} `.slice(0, -1);
    // Bounded: values that never repeat (one connection per line) cost their copy, not a map entry as well.
    if (seen.size < 50_000) seen.set(k, k);
  }
  return k;
}

export function memberOf(f: Fact): string {
  return f.source.kind === 'file' ? (f.source.member ?? '') : '';
}
export function lineOf(f: Fact): number {
  return f.source.kind === 'file' || f.source.kind === 'pasted' ? (f.source.line ?? 0) : 0;
}
export function howOf(f: Fact): string {
  return f.source.kind === 'derived' ? f.source.how : '';
}

/**
 * Columns are kept in blocks of BLOCK entries: a column of half a million grows without copying
 * itself (each copy of a big array stayed in V8's large-object space until a full collection),
 * and each block is a small allocation. Numbers are kept in typed arrays, 4 bytes an entry.
 */
const SHIFT = 13;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;
/** In a column of times, the entry whose time is kept as written (its string is beside it). */
const TEXT = -(2 ** 31);

/** Entry i of a column, plain (from JSON) or in blocks. */
export function entry<T>(col: FoldColumn<T>, i: number): T {
  return Array.isArray(col) ? col[i] : col.get(i);
}

/** A column of strings in blocks; the entries before the first pushed are ''. */
class TextBlocks {
  private readonly blocks: (string[] | undefined)[] = [];
  length: number;

  constructor(from = 0) {
    this.length = from;
    for (let b = 0; b < from >>> SHIFT; b++) this.blocks.push(undefined);
    if (from & MASK) this.blocks.push(new Array<string>(from & MASK).fill(''));
  }

  push(v: string): void {
    if ((this.length & MASK) === 0) this.blocks.push([v]);
    else (this.blocks[this.blocks.length - 1] as string[]).push(v);
    this.length++;
  }

  get(i: number): string {
    const b = this.blocks[i >>> SHIFT];
    return b === undefined ? '' : b[i & MASK];
  }

  toJSON(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.get(i));
    return out;
  }
}

/** A column of numbers in typed blocks: 32-bit integers until a block holds another number (then 64-bit). */
class NumberBlocks {
  protected readonly blocks: (Int32Array | Float64Array)[] = [];
  length = 0;

  push(v: number): void {
    const j = this.length & MASK;
    const last = this.blocks.length - 1;
    let blk = j === 0 ? undefined : this.blocks[last];
    if (blk === undefined) {
      // A fold's first block starts small (most folds are a few observations) and doubles up to BLOCK.
      blk = new Int32Array(this.length === 0 ? 16 : BLOCK);
      this.blocks.push(blk);
    } else if (j === blk.length) {
      const grown = blk instanceof Int32Array ? new Int32Array(blk.length * 2) : new Float64Array(blk.length * 2);
      grown.set(blk);
      this.blocks[last] = blk = grown;
    }
    if ((v | 0) !== v || Object.is(v, -0)) {
      if (blk instanceof Int32Array) this.blocks[this.blocks.length - 1] = blk = Float64Array.from(blk);
    }
    blk[j] = v;
    this.length++;
  }

  get(i: number): number {
    return this.blocks[i >>> SHIFT][i & MASK];
  }

  toJSON(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.get(i));
    return out;
  }
}

/** A column of times: offsets in ms as numbers, and the times kept as written beside them. */
class AtBlocks {
  private readonly nums = new NumberBlocks();
  /** Per block, its strings at their places ('' elsewhere), from the first time kept as written. */
  private readonly texts: (string[] | undefined)[] = [];

  get length(): number {
    return this.nums.length;
  }

  push(v: string | number): void {
    const i = this.nums.length;
    const b = i >>> SHIFT;
    const j = i & MASK;
    let t = this.texts[b];
    if (typeof v === 'string') {
      this.nums.push(TEXT);
      if (t === undefined) {
        while (this.texts.length <= b) this.texts.push(undefined);
        this.texts[b] = t = new Array<string>(j).fill('');
      }
      t.push(v);
      return;
    }
    this.nums.push(v);
    if (t !== undefined) t.push('');
  }

  get(i: number): string | number {
    const n = this.nums.get(i);
    return n === TEXT ? (this.texts[i >>> SHIFT] as string[])[i & MASK] : n;
  }

  toJSON(): (string | number)[] {
    const out: (string | number)[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.get(i));
    return out;
  }
}

/**
 * The time in ms when that gives `at` back exactly, else NaN. The last answer
 * is kept: a reader folds several facts of one line in turn, all with its time.
 */
const lastExact = { at: '', ms: Number.NaN };
function msIfExact(at: string): number {
  if (at !== lastExact.at) {
    lastExact.at = at;
    lastExact.ms = exactMs(at);
  }
  return lastExact.ms;
}

/**
 * The day of the last time read ("2026-11-22T") and its ms (NaN when that day is not one
 * toISOString writes). A time on that day written as toISOString writes it is read from its
 * digits: folding a busy log parsed and re-wrote every line's time.
 */
const lastDay = { prefix: '', ms: Number.NaN };

function exactMs(at: string): number {
  // "YYYY-MM-DDTHH:MM:SS.mmmZ": a canonical day and in-range hours, minutes and seconds give a canonical time.
  if (at.length === 24 && at.charCodeAt(13) === 58 && at.charCodeAt(16) === 58 && at.charCodeAt(19) === 46 && at.charCodeAt(23) === 90) {
    const h = digits(at, 11, 13);
    const mi = digits(at, 14, 16);
    const sec = digits(at, 17, 19);
    const milli = digits(at, 20, 23);
    if (h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60 && milli >= 0) {
      if (lastDay.prefix === '' || !at.startsWith(lastDay.prefix)) {
        const day = `${at.slice(0, 11)}00:00:00.000Z`;
        const ms = Date.parse(day);
        lastDay.prefix = day.slice(0, 11);
        lastDay.ms = !Number.isNaN(ms) && new Date(ms).toISOString() === day ? ms : Number.NaN;
      }
      return lastDay.ms + ((h * 60 + mi) * 60 + sec) * 1000 + milli;
    }
  }
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === at ? ms : Number.NaN;
}

/**
 * What new Date(ms).toISOString() writes, its day ("2026-11-22T") worked out once per day: a
 * report rebuilds thousands of observations' times (the timeline, the derivations), and a Date
 * and its string per observation were a tenth of the end of a push-heavy run.
 */
const isoDay = { start: Number.NaN, prefix: '' };
const DAY_MS = 86_400_000;

function isoOf(ms: number): string {
  let t = ms - isoDay.start;
  if (!(t >= 0 && t < DAY_MS)) {
    // toISOString throws for a time out of range, as before; a year it writes with a sign is written by it.
    const whole = new Date(ms).toISOString();
    if (whole.length !== 24) return whole;
    isoDay.start = Math.floor(ms / DAY_MS) * DAY_MS;
    isoDay.prefix = whole.slice(0, 11);
    t = ms - isoDay.start;
  }
  const milli = t % 1000;
  const secs = (t - milli) / 1000;
  const sec = secs % 60;
  const mins = (secs - sec) / 60;
  const min = mins % 60;
  const h = (mins - min) / 60;
  return `${isoDay.prefix}${h < 10 ? '0' : ''}${h}:${min < 10 ? '0' : ''}${min}:${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** The decimal number written in at[from, to), or -1 when a character there is not a digit. */
function digits(at: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = at.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** The columns of a fold, filled one observation at a time in reading order. */
export class Columns {
  private at = new AtBlocks();
  private line = new NumberBlocks();
  private members?: TextBlocks;
  private hows?: TextBlocks;
  private readonly varying = new Map<string, TextBlocks>();
  private base = Number.NaN;
  private firstAt: string | undefined;
  private lastAt: string | undefined;
  private prevAt = '';
  private readonly own = new Map<string, string>();

  /** Adds observation number `i` (0, 1, 2… in turn). */
  push(f: Fact, i: number): void {
    this.pushAt(f.at ?? '', i);
    this.line.push(lineOf(f));
    this.members = fillTo(this.members, i, memberOf(f));
    this.hows = fillTo(this.hows, i, howOf(f));
    if (f.attrs)
      for (const k in f.attrs) {
        if (!OCCURRENCE_ATTRS.has(k)) continue;
        let col = this.varying.get(k);
        if (!col) this.varying.set(k, (col = new TextBlocks(i)));
        if (col.length === i) col.push(keep(f.attrs[k], this.own));
      }
    for (const col of this.varying.values()) if (col.length === i) col.push('');
  }

  private pushAt(at: string, i: number): void {
    if (at) {
      if (this.firstAt === undefined || at < this.firstAt) this.firstAt = at;
      if (this.lastAt === undefined || at > this.lastAt) this.lastAt = at;
    }
    if (i === 0 || !at || Number.isNaN(this.base)) {
      const kept = at === this.prevAt ? at : at.length < 13 ? at : `${at} `.slice(0, -1);
      this.at.push(kept);
      if (i === 0 && kept) this.base = Date.parse(kept);
      this.prevAt = kept;
      return;
    }
    const ms = msIfExact(at);
    const d = ms - this.base;
    if (d >= -MAX_OFFSET && d <= MAX_OFFSET) this.at.push(d);
    else this.at.push(at === this.prevAt ? this.prevAt : (this.prevAt = `${at} `.slice(0, -1)));
  }

  /**
   * Puts the observations in another order: the runs [from, to) of the present order, one after
   * the other. Every column is what pushing the observations one by one in that order would have
   * made of it: the times are counted again from the new first one (or kept as written when they
   * fall too far from it, or it has none).
   */
  reorder(runs: readonly (readonly [number, number])[]): void {
    const oldAt = this.at;
    const oldBase = this.base;
    const written = (v: string | number): string => (typeof v === 'string' ? v : isoOf(oldBase + v));
    const first = written(oldAt.get(runs[0][0]));
    const base = first ? Date.parse(first) : Number.NaN;
    const at = new AtBlocks();
    at.push(first);
    for (let r = 0; r < runs.length; r++)
      for (let i = r === 0 ? runs[0][0] + 1 : runs[r][0]; i < runs[r][1]; i++) {
        const v = oldAt.get(i);
        if (v === '' || Number.isNaN(base)) {
          at.push(written(v));
          continue;
        }
        const d = (typeof v === 'string' ? msIfExact(v) : oldBase + v) - base;
        at.push(d >= -MAX_OFFSET && d <= MAX_OFFSET ? d : written(v));
      }
    this.at = at;
    this.base = base;
    this.prevAt = '';
    const line = new NumberBlocks();
    for (const [from, to] of runs) for (let i = from; i < to; i++) line.push(this.line.get(i));
    this.line = line;
    if (this.members) this.members = inRuns(this.members, runs);
    if (this.hows) this.hows = inRuns(this.hows, runs);
    for (const [k, col] of this.varying) this.varying.set(k, inRuns(col, runs));
  }

  fold(count: number): Fold {
    const cols: FoldColumns = { at: this.at, line: this.line };
    if (this.members) cols.member = this.members;
    if (this.hows) cols.how = this.hows;
    if (this.varying.size) cols.attrs = Object.fromEntries([...this.varying.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    const firstAt = this.firstAt;
    const lastAt = this.lastAt;
    return { count, ...(firstAt !== undefined ? { firstAt } : {}), ...(lastAt !== undefined ? { lastAt } : {}), each: cols };
  }
}

/** A column that stays absent until some observation has a value for it (then '' for those before). */
function fillTo(col: TextBlocks | undefined, i: number, v: string): TextBlocks | undefined {
  if (col) {
    col.push(v);
    return col;
  }
  if (v === '') return undefined;
  const out = new TextBlocks(i);
  out.push(v);
  return out;
}

/** A column's entries in the runs [from, to) given, one run after the other. */
function inRuns(col: TextBlocks, runs: readonly (readonly [number, number])[]): TextBlocks {
  const out = new TextBlocks();
  for (const [from, to] of runs) for (let i = from; i < to; i++) out.push(col.get(i));
  return out;
}

/** The first observation's time in ms, per column set: what the later times are counted from. */
const bases = new WeakMap<FoldColumns, number>();

/** `at` of observation i of a folded fact ('' when it has none). */
export function atOf(f: Fact, i: number): string {
  const c = f.fold!.each;
  const v = entry(c.at, i);
  if (typeof v === 'string') return v;
  let base = bases.get(c);
  if (base === undefined) bases.set(c, (base = Date.parse(String(entry(c.at, 0)))));
  return isoOf(base + v);
}

/** `at` of observation i in ms since the epoch (NaN when it has none), without building its string when it can. */
export function msOf(f: Fact, i: number): number {
  const c = f.fold!.each;
  const v = entry(c.at, i);
  if (typeof v === 'string') return v ? Date.parse(v) : Number.NaN;
  let base = bases.get(c);
  if (base === undefined) bases.set(c, (base = Date.parse(String(entry(c.at, 0)))));
  return base + v;
}

/** The line of observation i. */
export function lineAt(f: Fact, i: number): number {
  return entry(f.fold!.each.line, i);
}

/** An attribute of observation i ('' or undefined when it has none). */
export function attrAt(f: Fact, i: number, k: string): string | undefined {
  const col = f.fold!.each.attrs?.[k];
  if (col) return entry(col, i) || undefined;
  return OCCURRENCE_ATTRS.has(k) ? undefined : f.attrs?.[k];
}

/** The source of observation i. */
export function sourceAt(f: Fact, i: number): Source {
  const c = f.fold!.each;
  const line = entry(c.line, i);
  const s = f.source;
  if (s.kind === 'file') {
    const source: Source = { kind: 'file', input: s.input };
    const member = c.member ? entry(c.member, i) : s.member;
    if (member) source.member = member;
    if (line) source.line = line;
    return source;
  }
  if (s.kind === 'pasted') {
    const source: Source = { kind: 'pasted', input: s.input };
    if (line) source.line = line;
    return source;
  }
  if (s.kind === 'derived') return { kind: 'derived', how: c.how ? entry(c.how, i) : s.how, from: s.from };
  return s;
}

/** The attributes of the observation rebuilt last, to share with the next one when they agree. */
const lastAttrs: { fact?: Fact; i: number; attrs?: Record<string, string> } = { i: -1 };

/** One observation of a folded fact, rebuilt from its columns. */
export function observation(f: Fact, i: number): Fact {
  // Built property by property: spreads of optional fields cost a busy bundle tens of milliseconds.
  const c = f.fold!.each;
  const at = atOf(f, i);
  const out: Fact = { name: f.name, value: at && f.value === f.at ? at : f.value, source: sourceAt(f, i) };
  if (at) out.at = at;
  if (c.attrs) {
    // Observations in a row usually share their connection and command: they share one attrs object too (never mutated).
    let same = i > 0;
    for (const k in c.attrs) if (same && entry(c.attrs[k], i) !== entry(c.attrs[k], i - 1)) same = false;
    if (same && lastAttrs.fact === f && lastAttrs.i === i - 1) out.attrs = lastAttrs.attrs;
    else {
      const attrs: Record<string, string> = {};
      for (const k in f.attrs) if (!OCCURRENCE_ATTRS.has(k)) attrs[k] = f.attrs[k];
      for (const k in c.attrs) {
        const v = entry(c.attrs[k], i);
        if (v) attrs[k] = v;
      }
      out.attrs = attrs;
    }
    lastAttrs.fact = f;
    lastAttrs.i = i;
    lastAttrs.attrs = out.attrs;
  } else if (f.attrs) out.attrs = f.attrs;
  return out;
}

/** Unfolds every folded fact: every observation, as read. */
export function expandFacts(facts: readonly Fact[]): Fact[] {
  const out: Fact[] = [];
  for (const f of facts) {
    if (!f.fold) out.push(f);
    else for (let i = 0; i < f.fold.count; i++) out.push(observation(f, i));
  }
  return out;
}

/** A few of the observations a folded fact stands for, in reading order: the first `first` and the last `last`. */
export function examplesOf(f: Fact, first = 3, last = 1): Fact[] {
  const n = f.fold?.count ?? 0;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (i < first || i >= n - last) idx.push(i);
  return idx.map((i) => observation(f, i));
}
