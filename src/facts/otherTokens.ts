import { caseOwnFacts, OTHER_TOKENS } from './caseOwn.js';
import { FactFolder } from './fold.js';
import { lineOf, memberOf, observation, OCCURRENCE_ATTRS } from './foldColumns.js';
import { factKey, sortFacts } from './order.js';
import type { Fact } from './schema.js';

/**
 * A provider's log of pushes to thousands of device tokens: APNs's answers fold per token (facts/fold.ts), which
 * still leaves a fact per token and answer (3,300 of them in a 150,000-line log). Those the rules set aside (another
 * device's, or not yet the case's while the case has not said which device it is about: facts/caseOwn.ts) are
 * folded once more, per answer, into apns.response_other_tokens: one fact per answer with the number of tokens,
 * the count of pushes, the first and last time and a few example lines. The answers the rules read stay as they
 * are, each with its token.
 *
 * Done after the diagnosis, on what it shows: the derivations saw every answer (coalescing, receipts, the stale
 * token), and the rules read the case's own facts before anything is folded, so no verdict moves. The report
 * reads the case's own facts again from what is shown: the fold is kept only if that gives back the same facts.
 */
/** Folded only beyond this many tokens set aside: a log of a few devices keeps every token's answers as read. */
const FOLD_OVER_TOKENS = 100;

/** What names one device on an answer: gone from the folded fact, which stands for many. */
const PER_DEVICE = ['token', 'token_masked', 'udid', 'device_id'];

function tokenOf(f: Fact): string | undefined {
  const a = f.attrs;
  return a?.token ? `T ${a.token.toUpperCase()}` : a?.token_masked ? `M ${a.token_masked.toLowerCase()}` : undefined;
}

/** An answer read from an input (not told, not derived) to one named token, and not one the rules read. */
function setAside(f: Fact, own: ReadonlySet<Fact>): boolean {
  return f.name === 'apns.response' && (f.source.kind === 'file' || f.source.kind === 'pasted') && !!tokenOf(f) && !own.has(f);
}

/** The attributes the folded fact keeps: all but those naming the device. */
function shared(attrs: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in attrs) if (!PER_DEVICE.includes(k)) out[k] = attrs[k]!;
  return out;
}

/** Which folded fact an answer joins: its input, its answer and what it says besides (as facts/fold.ts groups). */
function groupOf(f: Fact, attrs: Readonly<Record<string, string>>): string {
  const s = f.source;
  const scope = s.kind === 'file' ? `file\u0000${s.input}` : s.kind === 'pasted' ? `pasted\u0000${s.input}` : '';
  const keys = Object.keys(attrs)
    .filter((k) => !OCCURRENCE_ATTRS.has(k))
    .sort();
  return `${scope}\u0000${String(f.value)}\u0000${keys.map((k) => `${k}=${attrs[k]}`).join('\u0000')}`;
}

/**
 * The facts as the report shows them: those of `facts` (sorted, folded) with the answers the rules set aside
 * folded per answer when they name more than FOLD_OVER_TOKENS tokens. `own` is what the rules read
 * (caseOwnFacts of `facts`).
 */
export function foldOtherTokens(facts: Fact[], own: readonly Fact[]): Fact[] {
  const ownSet = new Set(own);
  const tokens = new Set<string>();
  for (const f of facts) if (setAside(f, ownSet)) tokens.add(tokenOf(f)!);
  if (tokens.size <= FOLD_OVER_TOKENS) return facts;

  // Each group's tokens first: the count is one of the folded fact's attributes.
  const answers: { o: Fact; attrs: Record<string, string>; group: string; n: number }[] = [];
  const tokensOf = new Map<string, Set<string>>();
  const kept: Fact[] = [];
  for (const f of facts) {
    if (!setAside(f, ownSet)) {
      kept.push(f);
      continue;
    }
    const token = tokenOf(f)!;
    const count = f.fold?.count ?? 1;
    for (let i = 0; i < count; i++) {
      const o = f.fold ? observation(f, i) : f;
      const attrs = shared(o.attrs);
      const group = groupOf(o, attrs);
      let set = tokensOf.get(group);
      if (!set) tokensOf.set(group, (set = new Set()));
      set.add(token);
      answers.push({ o, attrs, group, n: answers.length });
    }
  }
  // Reading order (input, archive member, line), so that the fold keeps columns rather than facts.
  answers.sort((a, b) => {
    const sa = a.o.source;
    const sb = b.o.source;
    const ia = 'input' in sa ? sa.input : '';
    const ib = 'input' in sb ? sb.input : '';
    if (ia !== ib) return ia < ib ? -1 : 1;
    const ma = memberOf(a.o);
    const mb = memberOf(b.o);
    if (ma !== mb) return ma < mb ? -1 : 1;
    return lineOf(a.o) - lineOf(b.o) || a.n - b.n;
  });
  const folder = new FactFolder();
  for (const { o, attrs, group } of answers) {
    attrs.tokens = String(tokensOf.get(group)!.size);
    const f: Fact = { name: OTHER_TOKENS, value: o.value, source: o.source, attrs };
    if (o.at !== undefined) f.at = o.at;
    folder.add(f);
  }
  const shown = sortFacts(kept.concat(folder.facts()));
  // The report reads the case's own facts from what is shown (notes, what is set aside): they must be the rules'.
  const again = caseOwnFacts(shown);
  if (again.length !== own.length) return facts;
  for (let i = 0; i < own.length; i++) if (again[i] !== own[i] && factKey(again[i]!) !== factKey(own[i]!)) return facts;
  return shown;
}
