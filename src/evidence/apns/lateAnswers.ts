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
 * of answer each token got stay as unbounded reading has them. What falls between a kind's first and newest
 * is counted, not kept. Beyond TOKENS_TRACKED tokens a token keeps only its newest answer, when that is a
 * refusal or follows one (addUntracked). Memory grows with tokens and kinds, not with answers.
 */
export class LateAnswers {
  private seq = 0;
  private readonly tokens = new Map<string, TokenAnswers>();
  private readonly untracked = new Map<string, Kept>();
  /** Whether each token's newest answer among those kept whole was an accepted push. */
  private readonly wholeAccepted = new Map<string, boolean>();
  /** Answers not kept, by value (status or reason). */
  private readonly aside = new Map<string, number>();

  /** Answers given. */
  get count(): number {
    return this.seq;
  }

  /** An answer kept whole, before the late ones: its token's newest state so far. */
  whole(fact: Fact): void {
    this.wholeAccepted.set(tokenKey(fact), isAccepted(fact));
  }

  add(fact: Fact): void {
    const kept = { seq: this.seq++, fact };
    const key = tokenKey(fact);
    let t = this.tokens.get(key);
    if (!t) {
      if (this.tokens.size >= TOKENS_TRACKED) return this.addUntracked(key, kept);
      this.tokens.set(key, (t = { kinds: new Map(), newest: [] }));
    }
    const kind = kindKey(fact);
    const k = t.kinds.get(kind);
    if (k) {
      if (k.last !== k.first) this.setAside(k.last.fact);
      k.last = kept;
    } else if (t.kinds.size < KINDS_PER_TOKEN) t.kinds.set(kind, { first: kept, last: kept });
    else {
      t.newest.push(kept);
      if (t.newest.length > NEWEST_PER_TOKEN) this.setAside(t.newest.shift()!.fact);
    }
  }

  /**
   * A token beyond those tracked keeps its newest answer when it is a refusal, or an accepted push after a
   * refusal kept (its newest state would read as refused otherwise); accepted pushes to a token with no
   * refusal kept are counted only.
   */
  private addUntracked(key: string, kept: Kept): void {
    const prev = this.untracked.get(key);
    if (!isAccepted(kept.fact) || prev || this.wholeAccepted.get(key) === false) {
      if (prev) this.setAside(prev.fact);
      this.untracked.set(key, kept);
    } else this.setAside(kept.fact);
  }

  private setAside(f: Fact): void {
    const v = String(f.value);
    this.aside.set(v, (this.aside.get(v) ?? 0) + 1);
  }

  /** How many answers were not kept, by value: `200 ×120000, Unregistered ×310`. */
  asideSummary(): string {
    return [...this.aside]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([v, n]) => `${v} ×${n}`)
      .join(', ');
  }

  /** The answers kept, in the order they were read. */
  facts(): Fact[] {
    const kept: Kept[] = [];
    for (const t of this.tokens.values()) {
      for (const k of t.kinds.values()) {
        kept.push(k.first);
        if (k.last !== k.first) kept.push(k.last);
      }
      for (const n of t.newest) kept.push(n);
    }
    for (const u of this.untracked.values()) kept.push(u);
    kept.sort((a, b) => a.seq - b.seq);
    return kept.map((k) => k.fact);
  }
}
