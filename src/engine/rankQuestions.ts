import { domainsMarkedBy } from '../facts/catalog/index.js';
import { occurrences } from '../facts/fold.js';
import type { Domain, Fact } from '../facts/schema.js';
import type { CauseResult, RankedQuestion } from './diagnose.js';
import { evaluate } from './evaluate.js';
import type { RuleSet } from './loadRules.js';
import type { Question } from './ruleSchema.js';

// Which questions a diagnosis asks, and in what order (engine/diagnose.ts).

/**
 * The case's own domain: the one someone named (q.case.domain), else the one
 * most of the evidence speaks to. Its questions come first.
 */
export function ownDomains(facts: readonly Fact[], domains: Domain[]): Domain[] {
  const named = facts
    .filter((f) => f.name === 'case.domain')
    .map((f) => String(f.value))
    .filter((d): d is Domain => (domains as string[]).includes(d));
  if (named.length) return [...new Set(named)];
  const count = new Map<Domain, number>();
  for (const f of facts) {
    if (f.source.kind === 'derived') continue;
    for (const d of domainsMarkedBy(f)) if (domains.includes(d)) count.set(d, (count.get(d) ?? 0) + occurrences(f));
  }
  let best: Domain | undefined;
  for (const d of domains) if (!best || (count.get(d) ?? 0) > (count.get(best) ?? 0)) best = d;
  return best ? [best] : [];
}

/**
 * The question that settles the most unsettled causes goes first; ties keep
 * the order questions have in rules/. Questions whose askWhen holds (e.g.
 * "whose values are these?") come before all others.
 */
export function rankQuestions(
  rules: RuleSet,
  causes: CauseResult[],
  index: ReadonlyMap<string, readonly Fact[]>,
  domains: Domain[],
  answered: Set<string>,
  own: Domain[],
): RankedQuestion[] {
  const unsettled = causes.filter((c) => c.status === 'open' || c.status === 'likely');
  const ranked: (RankedQuestion & { order: number })[] = [];
  // A fact that already says what the question asks (read, derived or answered) settles it.
  const settled = (q: Question) => index.has(q.sets) || (q.settledBy ?? []).some((f) => index.has(f));
  rules.questions.forEach((question, order) => {
    if (answered.has(question.id)) return;
    if (question.domains && !question.domains.some((d) => domains.includes(d))) return;
    if (question.sets === 'case.domain') {
      // Nothing in the evidence says what kind of push problem this is.
      if (domains.length === 0) ranked.push({ question, settles: [], forced: true, order });
      return;
    }
    if (settled(question) && !question.askWhen) return;
    if (question.askWhen) {
      const holds = evaluate(question.askWhen, index).result === true;
      if (holds && !question.ranked) ranked.push({ question, settles: [], forced: true, order });
      if (!holds || !question.ranked) return;
    }
    const settles = new Set<string>();
    for (const c of unsettled) {
      for (const r of c.rules) {
        if (r.trace.result !== 'unknown') continue;
        const missing = r.trace.missing ?? [];
        if (r.rule.questions.includes(question.id) || missing.includes(question.sets)) settles.add(c.cause.id);
      }
    }
    // A gated question whose gate holds is asked even when no open cause lists it (it sorts last then).
    if (settles.size || (question.askWhen && question.ranked)) ranked.push({ question, settles: [...settles].sort(), forced: false, order });
  });
  const mine = (q: Question) => !q.domains || q.domains.some((d) => own.includes(d));
  // A question that settles a cause the evidence already makes likely decides more than one about an open cause.
  const likely = new Set(causes.filter((c) => c.status === 'likely').map((c) => c.cause.id));
  const onLikely = (q: RankedQuestion) => q.settles.some((id) => likely.has(id));
  ranked.sort(
    (a, b) =>
      Number(b.forced) - Number(a.forced) ||
      Number(mine(b.question)) - Number(mine(a.question)) ||
      Number(onLikely(b)) - Number(onLikely(a)) ||
      // Among questions on a likely cause, a gated one ranked with the others (the reference time) supports
      // those that ask about the cause itself; it does not lead them.
      (onLikely(a) ? Number(!!a.question.ranked) - Number(!!b.question.ranked) : 0) ||
      b.settles.length - a.settles.length ||
      a.order - b.order,
  );
  return ranked.map(({ order: _order, ...q }) => q);
}
