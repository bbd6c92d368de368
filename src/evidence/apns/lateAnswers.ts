import type { Fact } from '../../facts/schema.js';
import { OCCURRENCE_ATTRS } from '../../facts/foldColumns.js';

/** Kinds of answer (value and attributes) kept first and newest per token; a token's further kinds keep only its newest answers. */
const KINDS_PER_TOKEN = 16;
/** A token's newest answers kept beyond its kinds. */
const NEWEST_PER_TOKEN = 4;
/**
 * Tokens tracked kind by kind (each costs a few kept answers, and each kept answer about 5 KB of a report's
 * peak memory); beyond them a token keeps only its newest answer, when that tells what the kept ones do not.
 */
const TOKENS_TRACKED = 1000;

interface Kept {
  seq: number;
  fact: Fact;
}

interface TokenAnswers {
  kinds: Map<string, { first: Kept; last: Kept }>;
  newest: Kept[];
  /** The token's latest accepted push so far (seq -1: one of those kept whole). */
  accepted?: Kept;
  /** The two accepted pushes in a row that came closest together (how close pushes to one device came: coalescing). */
  closest?: { pair: [Kept, Kept]; ms: number };
}

/** The token (or the masked or hidden form, or the device) an answer went to: answers to one never stand for another's. */
function tokenKey(f: Fact): string {
  const a = f.attrs ?? {};
  return `${f.name}\u0000${a.token ?? ''}\u0000${a.token_masked ?? ''}\u0000${a.token_hidden ?? ''}\u0000${a.udid ?? ''}`;
}

/** What tells one kind of answer from another, as folding groups them: the value and every attribute but those of one occurrence. */
function kindKey(f: Fact): string {
  let k = String(f.value);
  const a = f.attrs ?? {};
  for (const name of Object.keys(a).sort()) if (!OCCURRENCE_ATTRS.has(name)) k += `\u0000${name}=${a[name]}`;
  return k;
}

const isAccepted = (f: Fact) => f.attrs?.status === '200' || f.value === '200';

/**
 * The answers of a log after its first few thousand, bounded per device token without losing what the rules
 * judge: for each token and kind of answer (status, reason, host…) the first and the newest, so the newest
 * answer per token, whether a token was accepted after a refusal, the first and last refusal, and every kind
 * of answer each token got stay as unbounded reading has them; so does the shortest gap between two accepted
 * pushes to a token (the pair is kept), which coalescing is judged on. What falls between a kind's first and newest
 * is counted, not kept. Beyond TOKENS_TRACKED tokens a token keeps only its newest answer, when that is a
 * refusal or follows one (addUntracked). Memory grows with tokens and kinds, not with answers.
 */
export class LateAnswers {
  private seq = 0;
  private readonly tokens = new Map<string, TokenAnswers>();
  private readonly untracked = new Map<string, Kept>();
  /** Whether each token's newest answer among those kept whole was an accepted push. */
  private readonly wholeAccepted = new Map<string, boolean>();
  /** Each token's latest accepted push among those kept whole. */
  private readonly wholeLastAccepted = new Map<string, Fact>();
  /** Answers given, by value (status or reason). */
  private readonly byValue = new Map<string, number>();

  /** Answers given. */
  get count(): number {
    return this.seq;
  }

  /** An answer kept whole, before the late ones: its token's newest state so far. */
  whole(fact: Fact): void {
    const key = tokenKey(fact);
    this.wholeAccepted.set(key, isAccepted(fact));
    if (isAccepted(fact)) this.wholeLastAccepted.set(key, fact);
  }

  add(fact: Fact): void {
    const kept = { seq: this.seq++, fact };
    const v = String(fact.value);
    this.byValue.set(v, (this.byValue.get(v) ?? 0) + 1);
    const key = tokenKey(fact);
    let t = this.tokens.get(key);
    if (!t) {
      if (this.tokens.size >= TOKENS_TRACKED) return this.addUntracked(key, kept);
      const before = this.wholeLastAccepted.get(key);
      this.tokens.set(key, (t = { kinds: new Map(), newest: [], ...(before ? { accepted: { seq: -1, fact: before } } : {}) }));
    }
    if (isAccepted(fact)) this.closer(t, kept);
    const kind = kindKey(fact);
    const k = t.kinds.get(kind);
    if (k) k.last = kept;
    else if (t.kinds.size < KINDS_PER_TOKEN) t.kinds.set(kind, { first: kept, last: kept });
    else {
      t.newest.push(kept);
      if (t.newest.length > NEWEST_PER_TOKEN) t.newest.shift();
    }
  }

  /** Keeps the accepted push and the one before it to the same token when they are the closest pair so far. */
  private closer(t: TokenAnswers, kept: Kept): void {
    const prev = t.accepted;
    t.accepted = kept;
    if (!prev?.fact.at || !kept.fact.at) return;
    const ms = Math.abs(Date.parse(kept.fact.at) - Date.parse(prev.fact.at));
    if (Number.isFinite(ms) && (!t.closest || ms < t.closest.ms)) t.closest = { pair: [prev, kept], ms };
  }

  /**
   * A token beyond those tracked keeps its newest answer when it is a refusal, or an accepted push after a
   * refusal kept (its newest state would read as refused otherwise); accepted pushes to a token with no
   * refusal kept are counted only.
   */
  private addUntracked(key: string, kept: Kept): void {
    const prev = this.untracked.get(key);
    if (!isAccepted(kept.fact) || prev || this.wholeAccepted.get(key) === false) this.untracked.set(key, kept);
  }

  /**
   * The answers kept, in the order they were read, and how many were not, by value (`200 ×120000,
   * Unregistered ×310`).
   */
  result(): { facts: Fact[]; aside: string } {
    const kept = new Set<Kept>();
    for (const t of this.tokens.values()) {
      for (const k of t.kinds.values()) kept.add(k.first).add(k.last);
      for (const n of t.newest) kept.add(n);
      for (const c of t.closest?.pair ?? []) if (c.seq >= 0) kept.add(c);
    }
    for (const u of this.untracked.values()) kept.add(u);
    const list = [...kept].sort((a, b) => a.seq - b.seq);
    const aside = new Map(this.byValue);
    for (const k of list) {
      const v = String(k.fact.value);
      aside.set(v, aside.get(v)! - 1);
    }
    const summary = [...aside]
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([v, n]) => `${v} ×${n}`)
      .join(', ');
    return { facts: list.map((k) => k.fact), aside: summary };
  }
}
