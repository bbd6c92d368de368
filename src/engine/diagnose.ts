import { domainsHintedBy, domainsMarkedBy, factDefinition } from '../facts/catalog/index.js';
import { deriveSteps } from '../facts/derive/index.js';
import { foldFactsSteps } from '../facts/fold.js';
import { sortFacts } from '../facts/order.js';
import { DOMAINS, type Domain, type Fact, type Problem } from '../facts/schema.js';
import { finish, type Steps } from '../facts/steps.js';
import { applyAnswers, type Answer } from './answers.js';
import { indexFacts } from '../facts/byName.js';
import { caseOwnFacts } from '../facts/caseOwn.js';
import { foldOtherTokens } from '../facts/otherTokens.js';
import { gapMs, isZoneLess, momentOf, type Moment } from '../facts/time.js';
import { decidingFacts, evaluate, type Trace } from './evaluate.js';
import { deriveParams, type RuleSet } from './loadRules.js';
import { ruleObservers } from './observe.js';
import { ownDomains, rankQuestions } from './rankQuestions.js';
import type { Advisory, Cause, ChecklistItem, Question, Rule, SourceRef } from './ruleSchema.js';

export type CauseStatus = 'confirmed' | 'likely' | 'open' | 'ruled_out';

export interface RuleResult {
  rule: Rule;
  trace: Trace;
  /** Observations that made the rule hold (empty unless it held). */
  evidence: Fact[];
}

export interface CauseResult {
  cause: Cause;
  status: CauseStatus;
  /** The rules whose conditions held, strongest first: they say "because …". */
  decided: RuleResult[];
  /** Every rule of the cause with its trace, for the full explanation. */
  rules: RuleResult[];
  /**
   * Facts an answer and the evidence disagree on, which held rules of this cause read: those rules do not
   * decide it (it stays open) until someone settles which value holds.
   */
  contested?: string[];
}

export interface RankedQuestion {
  question: Question;
  /** How many unsettled causes an answer could settle. */
  settles: string[];
  /** Asked ahead of all others because its askWhen holds. */
  forced: boolean;
}

export interface Conflict {
  fact: string;
  values: Fact[];
}

export interface AdvisoryResult {
  advisory: Advisory;
  trace: Trace;
  evidence: Fact[];
}

export interface ChecklistResult {
  item: ChecklistItem;
  done: boolean;
  evidence: Fact[];
  /** While not done: what to do, as a template (the first todo whose condition holds). */
  todo?: string;
}

/** The Feedback decision; each status is described on the report's FilingReport. */
export type FilingStatus =
  | 'ready'
  | 'no_failed_push'
  | 'causes_open'
  | 'push_answered'
  | 'not_for_apple'
  | 'values_conflict'
  | 'push_refused'
  | 'push_transient'
  | 'token_renewed';

/**
 * Whether the case goes to Apple (rules/escalation.yml). `ready` only when
 * every cause of an escalating domain is ruled out, no cause elsewhere is
 * confirmed or likely, no push was answered, and a failed push is on record.
 */
export interface EscalationJudgement {
  status: FilingStatus;
  /** Domains of the case that end in "file Feedback with Apple". */
  domains: Domain[];
  checklist: ChecklistResult[];
  /** What to collect before filing (templates), when no failed push is on record. */
  collect: string[];
  /** Domains whose filing a push of theirs that arrived holds back, beside another domain's failures (ready / no_failed_push). */
  heldBack?: Domain[];
  source: SourceRef;
}

export interface Diagnosis {
  domains: Domain[];
  /** Notes for the reader that hold (redacted logs, logs without the push path…). */
  advisories: AdvisoryResult[];
  facts: Fact[];
  causes: CauseResult[];
  questions: RankedQuestion[];
  conflicts: Conflict[];
  /** Every cause of the relevant domains is ruled out and a failed push is on record: time to ask Apple. */
  escalate: boolean;
  /** Why the case does or does not go to Apple, and the Feedback checklist; absent when rules/ define no escalation. */
  escalation?: EscalationJudgement;
  problems: Problem[];
  superseded: ReturnType<typeof applyAnswers>['superseded'];
}

const STATUS_ORDER: CauseStatus[] = ['confirmed', 'likely', 'open', 'ruled_out'];
const OUTCOME_ORDER: Rule['outcome'][] = ['confirms', 'rules_out', 'suggests'];

function relevantDomains(facts: readonly Fact[]): Domain[] {
  // Someone said what kind of problem this is (q.case.domain, the Slack start form): the report is about
  // that, however many other domains the evidence touches (an MDM server log mentions app-push words too).
  const said = new Set(facts.filter((f) => f.name === 'case.domain' && (DOMAINS as readonly string[]).includes(String(f.value))).map((f) => f.value as Domain));
  if (said.size) return DOMAINS.filter((d) => said.has(d));
  const found = new Set<Domain>();
  // Beside an MDM server's push log, apsd's lines about other apps' pushes (in every device log) open no app case.
  const serverPushed = facts.some((f) => f.name === 'server.push_sent');
  for (const f of facts) {
    const def = factDefinition(f.name);
    // A fact people or files normally give, here derived as a by-product (enrolled, from a server
    // log's contacts): it speaks to the domains its inputs already marked, or chose not to.
    if (f.source.kind === 'derived' && !def?.derived) continue;
    for (const d of domainsMarkedBy(f)) if (!(d === 'apns' && serverPushed && f.name.startsWith('device.'))) found.add(d);
  }
  // An MDM server only ever sends MDM pushes; beside the device's NotNow statuses they are that NotNow case's pushes.
  if (serverPushed && !found.has('notnow')) found.add('mdm');
  if (found.size === 0) for (const f of facts) if (f.source.kind !== 'derived') for (const d of domainsHintedBy(f)) found.add(d);
  return DOMAINS.filter((d) => found.has(d));
}

function findConflicts(index: ReadonlyMap<string, readonly Fact[]>): Conflict[] {
  const out: Conflict[] = [];
  const key = (f: Fact) => (typeof f.value === 'string' ? f.value.toLowerCase() : String(f.value));
  for (const [name, facts] of [...index].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const def = factDefinition(name);
    if (!def || def.type === 'time') continue;
    if (!def.multi) {
      const distinct = new Set(facts.map(key));
      if (distinct.size > 1) out.push({ fact: name, values: [...facts] });
      continue;
    }
    // Many values are normal here (one APNs answer per push); an answer none of the evidence's values
    // agrees with is not: someone says APNs refused while the server's log shows every push accepted.
    const answered = facts.filter((f) => f.source.kind === 'answer');
    const read = facts.filter((f) => f.source.kind === 'file');
    if (!answered.length || !read.length) continue;
    const seen = new Set(read.map(key));
    if (answered.some((f) => !seen.has(key(f)))) out.push({ fact: name, values: [...facts] });
  }
  return out;
}

/**
 * Single-valued facts on which what someone answered and what the evidence shows disagree (an answer says the
 * MDM profile is gone, a sysdiagnose shows MDM.plist): neither side is taken over the other.
 */
function contestedFacts(conflicts: readonly Conflict[]): Set<string> {
  const out = new Set<string>();
  const key = (f: Fact) => (typeof f.value === 'string' ? f.value.toLowerCase() : String(f.value));
  for (const k of conflicts) {
    if (factDefinition(k.fact)?.multi) continue;
    const answered = new Set(k.values.filter((f) => f.source.kind === 'answer').map(key));
    if (answered.size && k.values.some((f) => f.source.kind !== 'answer' && !answered.has(key(f)))) out.add(k.fact);
  }
  return out;
}

function judge(rules: RuleResult[]): CauseStatus {
  const held = (o: Rule['outcome']) => rules.some((r) => r.rule.outcome === o && r.trace.result === true);
  // A confirming observation outweighs a ruling-out one; both are shown.
  if (held('confirms')) return 'confirmed';
  if (held('rules_out')) return 'ruled_out';
  if (held('suggests')) return 'likely';
  return 'open';
}

/**
 * The whole diagnosis: evidence facts plus answers in, causes, their
 * evidence and the next question out. Pure: no clock, no randomness, and
 * the output does not depend on the order facts are given in.
 */
export function diagnose(input: DiagnoseInput, rules: RuleSet): Diagnosis {
  return finish(diagnoseSteps(input, rules));
}

type DiagnoseInput = { facts: readonly Fact[]; answers?: readonly Answer[]; problems?: readonly Problem[] };

/**
 * The same, pausing between its phases (derivations, folding, each cause's rules…), so that a caller can
 * let the event loop turn: on a push-heavy bundle the whole takes tens of ms (case/steps.ts).
 */
export function* diagnoseSteps(input: DiagnoseInput, rules: RuleSet): Steps<Diagnosis> {
  const applied = applyAnswers(input.answers ?? [], rules.questions);
  // Facts come folded from the readers. Derivations see every observation (a push and the device's next
  // contact), a busy log's statuses read from their folds (facts/derive/index.ts); the engine and the report read them folded.
  const observed = input.facts.concat(applied.facts);
  const d = yield* deriveSteps(observed, deriveParams(rules));
  // Kept as they came, unless a zone someone gave moved their times.
  const kept = yield* foldFactsSteps(d.rezoned ? d.observed : observed);
  yield;
  const derived = yield* foldFactsSteps(d.derived);
  yield;
  const facts = sortFacts(kept.concat(derived));
  yield;
  // Rules read the case's device's push details only; the report still lists every fact (other tokens' answers folded, below).
  const own = caseOwnFacts(facts);
  const index = indexFacts(own);
  const domains = relevantDomains(facts);
  yield;

  const conflicts = findConflicts(index);
  const contested = contestedFacts(conflicts);
  const causeOrder = new Map(rules.causes.map((c, i) => [c.id, i]));
  const causes: CauseResult[] = [];
  for (const cause of rules.causes) {
    if (!domains.includes(cause.domain)) continue;
    const results = rules.rules
      .filter((r) => r.cause === cause.id)
      .map((rule) => {
        const trace = evaluate(rule.when, index);
        for (const observe of ruleObservers) observe(rule.id, trace.result);
        return { rule, trace, evidence: trace.result === true ? sortFacts(decidingFacts(trace)) : [] };
      });
    // A rule that holds on a contested fact (on either side of the disagreement) decides nothing yet.
    const onContested = (r: RuleResult) => r.trace.result === true && r.evidence.some((f) => contested.has(f.name));
    const held = results.filter(onContested);
    const status = judge(results.filter((r) => !onContested(r)));
    const decided = results
      .filter((r) => r.trace.result === true && !onContested(r))
      .sort((a, b) => OUTCOME_ORDER.indexOf(a.rule.outcome) - OUTCOME_ORDER.indexOf(b.rule.outcome));
    const names = [...new Set(held.flatMap((r) => r.evidence.map((f) => f.name)).filter((n) => contested.has(n)))].sort();
    causes.push({ cause, status, decided, rules: results, ...(names.length ? { contested: names } : {}) });
    yield;
  }
  causes.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || causeOrder.get(a.cause.id)! - causeOrder.get(b.cause.id)!);

  const questions = rankQuestions(rules, causes, index, domains, applied.answered, ownDomains(facts, domains));
  const advisories = rules.advisories
    .filter((a) => !a.domain || domains.includes(a.domain))
    .map((advisory) => ({ advisory, trace: evaluate(advisory.when, index) }))
    .filter((a) => a.trace.result === true)
    .map((a) => ({ ...a, evidence: sortFacts(decidingFacts(a.trace)) }));
  const escalation = judgeEscalation(rules, domains, causes, advisories, index, conflicts);
  const escalate = escalation?.status === 'ready';
  yield;
  const problems = [...(input.problems ?? []), ...applied.problems].sort((a, b) =>
    `${a.input}\u0000${a.member ?? ''}\u0000${a.code}\u0000${a.message}` < `${b.input}\u0000${b.member ?? ''}\u0000${b.code}\u0000${b.message}` ? -1 : 1,
  );
  // What the report shows: the answers to thousands of other tokens folded per answer, once the rules have read the case's own.
  const shown = foldOtherTokens(facts, own);
  yield;
  return {
    domains,
    advisories,
    facts: shown,
    causes,
    questions,
    conflicts,
    escalate,
    ...(escalation ? { escalation } : {}),
    problems,
    superseded: applied.superseded,
  };
}

/**
 * Apple asks for Feedback on pushes that are accepted yet never arrive, once
 * every known cause is ruled out, with the failed pushes' times and APNs's
 * answers (seed 000). Which domains, what counts as a failed push on record
 * and the checklist are rules/ data; this only evaluates them.
 */
/**
 * Whether APNs refused a failed push for a fault of the provider's own request or credentials: a 400, 403, 404, 405
 * or 413 (shared/knowledge/apns-mdm.md, section b), whatever its reason. Such an answer names what to fix, so the
 * push is none Apple looks into. (A 410 about a token the device still holds, or APNs's own 5xx, may still be.)
 */
const REFUSED_FOR_THE_PROVIDER: ReadonlySet<string> = new Set(['400', '403', '404', '405', '413']);
const refusedForTheProvider = (f: Fact) => REFUSED_FOR_THE_PROVIDER.has(statusOf(f));

const statusOf = (f: Fact) => f.attrs?.status ?? /^(\d{3})\b/.exec(String(f.value))?.[1] ?? '';
const transient = (f: Fact) => /^5\d\d$/.test(statusOf(f));

/** Whether the failed pushes span an hour or more, by stamps that share a clock. */
function failingForAnHour(pushes: readonly Fact[]): boolean {
  const ms = pushes.map((f) => momentOf(f)).filter((m): m is Moment => !!m);
  if (ms.length < 2) return false;
  const first = ms.reduce((a, b) => (b.ms < a.ms ? b : a));
  const last = ms.reduce((a, b) => (b.ms > a.ms ? b : a));
  return (gapMs(first, last)?.least ?? 0) >= 3_600_000;
}

/**
 * Whether every 410 APNs gave the case's device's MDM pushes came before a TokenUpdate of that device: the device
 * re-registered since, so the token refused may be an old one, and a push to the latest TokenUpdate's token is what
 * to try (and, if it fails too, to file). A 410 the log does not time, or one after the latest TokenUpdate, may still
 * be one for Apple.
 */
function unregisteredBeforeTokenUpdate(pushes: readonly Fact[], index: ReadonlyMap<string, readonly Fact[]>): boolean {
  const updates = index.get('mdm.checkin.token_update') ?? [];
  if (!updates.length) return false;
  // One clock: the push's line is in the TokenUpdate's log (a log repeats an answer it already gave, so the failed
  // push, not the answer, carries each push's own time), or both times carry their zone.
  const sameClock = (push: Fact, u: Fact) =>
    (u.source.kind === 'file' && !!push.attrs?.push?.startsWith(`${u.source.input}${u.source.member ? '' : ':'}`)) || (!isZoneLess(push) && !isZoneLess(u));
  return pushes.every((p) => {
    const at = p.at ? Date.parse(p.at) : Number.NaN;
    return !Number.isNaN(at) && updates.some((u) => !!u.at && sameClock(p, u) && Date.parse(u.at) > at);
  });
}

/** APNs's answers to the failed pushes, as a draft for Apple states them. */
const ANSWER_FACTS: ReadonlySet<string> = new Set(['server.push_status', 'mdm.apns_response', 'apns.response']);

function judgeEscalation(
  rules: RuleSet,
  domains: Domain[],
  causes: CauseResult[],
  advisories: AdvisoryResult[],
  index: ReadonlyMap<string, readonly Fact[]>,
  conflicts: readonly Conflict[],
): EscalationJudgement | undefined {
  const e = rules.escalation;
  if (!e) return undefined;
  const escalating = domains.filter((d) => e.domains.includes(d));
  const checklistFor = (ds: Domain[]) =>
    e.checklist
      .filter((item) => !item.domains || item.domains.some((d) => ds.includes(d)))
      .map((item): ChecklistResult => {
        const trace = evaluate(item.when, index);
        const done = trace.result === true;
        const todo = done ? undefined : item.todo.find((t) => !t.when || evaluate(t.when, index).result === true)?.text;
        return { item, done, evidence: done ? sortFacts(decidingFacts(trace)) : [], ...(todo ? { todo } : {}) };
      });
  const base = { domains: escalating, checklist: checklistFor(escalating), collect: e.collect, source: e.source };
  if (!escalating.length) return { ...base, checklist: [], status: 'not_for_apple' };
  const own = causes.filter((c) => escalating.includes(c.cause.domain));
  // A cause found elsewhere (a NotNow the server talked over, say) explains the failure as well.
  const foundElsewhere = causes.some((c) => !escalating.includes(c.cause.domain) && (c.status === 'confirmed' || c.status === 'likely'));
  if (!own.length || own.some((c) => c.status !== 'ruled_out') || foundElsewhere) return { ...base, status: 'causes_open' };
  // A push of one kind that arrived holds back that kind's filing only: an MDM push answered beside an app's failing pushes.
  const held = new Set<Domain>();
  for (const a of advisories)
    if (a.advisory.noEscalation) for (const d of a.advisory.noEscalationFor ?? (a.advisory.domain ? [a.advisory.domain] : escalating)) held.add(d);
  const live = escalating.filter((d) => !held.has(d));
  if (!live.length) return { ...base, status: 'push_answered' };
  const failed = live.some((d) => e.failedPush[d] && evaluate(e.failedPush[d]!, index).result === true);
  const judged = live.length === escalating.length ? base : { ...base, domains: live, checklist: checklistFor(live), heldBack: [...held].sort() };
  // What APNs answered is what Apple looks up: while an answer and the evidence disagree on it, the draft
  // would state one of them as fact. Settle it first.
  if (failed && conflicts.some((k) => ANSWER_FACTS.has(k.fact) && k.values.some((f) => f.source.kind === 'answer')))
    return { ...judged, status: 'values_conflict' };
  // Apple looks into pushes APNs accepted that never arrived (seed 000): a push APNs refused as the provider's fault
  // (403, 413, a bare 400…) carries its own answer, which names what to fix, even where no cause of the rules covers it.
  if (failed) {
    const pushes = (index.get('case.failed_push') ?? []).filter((f) => live.includes(f.attrs?.domain as Domain));
    if (pushes.length && pushes.every(refusedForTheProvider)) return { ...judged, status: 'push_refused' };
    // APNs's own 500/503 is passing: Apple wants it only when every push fails that way for hours
    // (shared/knowledge/apns-mdm.md, section b; the transient-answer note). Over a shorter span, or with times
    // that share no clock, the push is retried first.
    if (pushes.length && pushes.every(transient) && !failingForAnHour(pushes)) return { ...judged, status: 'push_transient' };
    // A 410 about a token the device replaced since (a TokenUpdate after it): push to the new token first.
    const gone = (f: Fact) => f.attrs?.domain === 'mdm' && (statusOf(f) === '410' || ['Unregistered', 'ExpiredToken'].includes(String(f.value)));
    if (pushes.length && pushes.every(gone) && unregisteredBeforeTokenUpdate(pushes, index)) return { ...judged, status: 'token_renewed' };
  }
  return { ...judged, status: failed ? 'ready' : 'no_failed_push' };
}
