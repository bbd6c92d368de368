import { factDefinition } from '../facts/catalog/index.js';
import { examplesOf } from '../facts/fold.js';
import { describeSource } from '../facts/order.js';
import type { Fact } from '../facts/schema.js';
import type { Diagnosis } from '../engine/diagnose.js';
import { TEMPLATE_FIELD, type Question } from '../engine/ruleSchema.js';
import type { Trace } from '../engine/evaluate.js';
import { indexFacts } from '../facts/byName.js';
import { caseOwnFacts } from '../facts/caseOwn.js';
import { finish, type Steps } from '../facts/steps.js';
import { focusDomains } from './focus.js';
import { contestedWords, nextAction } from './next.js';
import { isIsoTime, isoAsWritten } from './time.js';
import type { CauseReport, EvidenceReport, QuestionReport, Report, TimelineEvent, TraceNode } from './types.js';

/**
 * Observations of one folded fact drawn on the timeline: every one up to this many, else the first
 * tenth and the latest nine tenths of this many (the picture centres on the latest episode of failures,
 * and needs its pushes one by one to find where the episode starts).
 */
const TIMELINE_PER_FOLD = 500;

function evidenceOf(f: Fact): EvidenceReport {
  return {
    fact: f.name,
    value: f.value,
    source: describeSource(f.source),
    origin: f.source,
    ...(f.at ? { at: f.at } : {}),
    ...(f.attrs ? { attrs: f.attrs } : {}),
    ...(f.fold ? foldOf(f) : {}),
  };
}

/** What a folded fact adds to the JSON: the count, the span of times and a few examples (never every observation). */
function foldOf(f: Fact): Pick<EvidenceReport, 'count' | 'firstAt' | 'lastAt' | 'examples'> {
  const fold = f.fold!;
  return {
    count: fold.count,
    ...(fold.firstAt ? { firstAt: fold.firstAt } : {}),
    ...(fold.lastAt ? { lastAt: fold.lastAt } : {}),
    examples: examplesOf(f).map((x) => ({
      source: describeSource(x.source),
      origin: x.source,
      value: x.value,
      ...(x.at ? { at: x.at } : {}),
      ...(x.attrs ? { attrs: x.attrs } : {}),
    })),
  };
}

/**
 * A fact's value in a sentence. A time stays ISO-8601 (exact, for the JSON)
 * but as the source wrote it: with its offset ("2025-11-21T09:01:02-08:00")
 * or, when the source wrote no zone, with none ("2025-11-21T09:01:02"), so
 * a rendering never passes it off as UTC. An event logged as `true` (a
 * CheckOut) is named by its time, not "true".
 */
function templateValue(f: Fact): string {
  if (factDefinition(f.name)?.type !== 'time') return String(f.value);
  const iso = isIsoTime(f.value) ? f.value : f.at && isIsoTime(f.at) ? f.at : undefined;
  if (!iso) return typeof f.value === 'boolean' ? 'time not logged' : String(f.value);
  return isoAsWritten(iso, f.attrs?.zone);
}

/**
 * Fills {{fact.name}} with the observed values (distinct, in fact order), or "(not known yet)";
 * {{fact.name[key=value]}} with only the observations whose attrs carry that value (a TokenUpdate's
 * PushMagic, not one pasted beside it).
 */
function fillTemplate(text: string, index: ReadonlyMap<string, readonly Fact[]>): string {
  return text.replace(TEMPLATE_FIELD, (_m, name: string, key?: string, want?: string) => {
    const facts = (index.get(name) ?? []).filter((f) => !key || f.attrs?.[key] === want);
    const values = [...new Set(facts.map(templateValue))];
    return values.length ? values.join(' / ') : '(not known yet)';
  });
}

function traceNode(t: Trace): TraceNode {
  return {
    says: t.says,
    result: t.result,
    ...(t.missing?.length ? { missing: t.missing } : {}),
    ...(t.children ? { children: t.children.map(traceNode) } : {}),
  };
}

function first(index: ReadonlyMap<string, readonly Fact[]>, name: string): string | undefined {
  const v = index.get(name)?.[0]?.value;
  return v === undefined ? undefined : String(v);
}

/** What a person can supply for a missing fact: itself, or the inputs of a derived one. */
function neededInstead(name: string): string[] {
  const def = factDefinition(name);
  if (!def?.derived) return [name];
  return def.derivedFrom ?? [];
}

/** With every cause ruled out but no failed push on record, the report says what to collect instead of drafting. */
function collectNote(d: Diagnosis, index: ReadonlyMap<string, readonly Fact[]>): Report['notes'] {
  const e = d.escalation;
  if (e?.status !== 'no_failed_push') return [];
  const items = e.collect.map((t, i) => `(${i + 1}) ${fillTemplate(t, index)}`).join(' ');
  return [
    {
      id: 'case.note.collect_before_filing',
      text: `Every known cause is ruled out, but Apple needs a failed push to look into and the evidence holds none, so there is no Feedback draft yet. Before filing, collect: ${items}`,
      evidence: [],
      source: e.source,
    },
  ];
}

/** A question as the report offers it: its text, answer type and buttons. */
export function questionReport(q: Question, settles: string[] = []): QuestionReport {
  return {
    id: q.id,
    text: q.text,
    ...(q.help ? { help: q.help } : {}),
    type: q.type,
    answers:
      q.type === 'yesno'
        ? [
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
            { value: 'unknown', label: "Don't know" },
          ]
        : q.type === 'choice'
          ? [...(q.options ?? []), { value: 'unknown', label: "Don't know" }]
          : [],
    ...(q.pattern ? { pattern: q.pattern } : {}),
    settles,
  };
}

export function buildReport(d: Diagnosis): Report {
  return finish(buildReportSteps(d));
}

/** The same, pausing after the causes and after the timeline (a push-heavy bundle's is thousands of events). */
export function* buildReportSteps(d: Diagnosis): Steps<Report> {
  // Notes are filled with the case's device's push details, as the rules read them.
  const own = caseOwnFacts(d.facts);
  const index = indexFacts(own);
  const read = new Set<Fact>(own);

  const causes = d.causes.map((c) => causeReport(c, index));
  yield;
  const timeline = yield* timelineSteps(d.facts);
  yield;

  const report: Report = {
    schemaVersion: 1,
    domains: d.domains,
    headline: '',
    // Filled in below, once causes, questions and filing are known (key order kept for the JSON).
    nextAction: { kind: 'none', text: '' },
    focus: [],
    device: {
      model: first(index, 'device.model'),
      osVersion: first(index, 'device.os_version'),
      osBuild: first(index, 'device.os_build'),
      platform: first(index, 'device.platform'),
      sysdiagnoseAt: first(index, 'device.sysdiagnose_at'),
    },
    notes: [
      ...d.advisories.map((a) => ({
        id: a.advisory.id,
        text: fillTemplate(a.advisory.text, index),
        evidence: a.evidence.map(evidenceOf),
        source: a.advisory.source,
      })),
      ...collectNote(d, index),
    ],
    causes,
    questions: d.questions.map((q) => questionReport(q.question, q.settles)),
    escalation: null,
    problems: d.problems.map((p) => ({ input: p.input, ...(p.member ? { member: p.member } : {}), code: p.code, message: p.message })),
    conflicts: d.conflicts.map((c) => ({ fact: c.fact, values: c.values.map(evidenceOf) })),
    facts: d.facts.map((f) => ({
      ...evidenceOf(f),
      ...(factDefinition(f.name)?.secret ? { secret: true } : {}),
      ...(read.has(f) ? {} : { setAside: true as const }),
    })),
    timeline,
  };
  if (d.escalation)
    report.filing = {
      status: d.escalation.status,
      checklist: d.escalation.checklist.map((c) => ({
        id: c.item.id,
        item: c.item.item,
        done: c.done,
        ...(c.todo ? { todo: fillTemplate(c.todo, index) } : {}),
      })),
      collect: d.escalation.status === 'no_failed_push' ? d.escalation.collect.map((t) => fillTemplate(t, index)) : [],
      ...(d.escalation.heldBack ? { heldBack: d.escalation.heldBack } : {}),
    };
  // Drop undefined keys so JSON output is byte-stable.
  report.device = JSON.parse(JSON.stringify(report.device));
  // The Feedback draft (d.escalate) is composed by the case service: the report knows nothing of escalation.
  report.focus = focusDomains(report);
  const next = nextAction(report);
  report.headline = next.headline;
  report.nextAction = next.next;
  return report;
}

/** One cause as the report shows it: why (the rules that decided it), the evidence, next steps, and what would settle it while open. */
function causeReport(c: Diagnosis['causes'][number], index: ReturnType<typeof indexFacts>): CauseReport {
  const deciding = c.decided.filter((r) => (c.status === 'ruled_out' ? r.rule.outcome === 'rules_out' : r.rule.outcome !== 'rules_out'));
  // A ruled-out cause is explained by what ruled it out: an older observation that once pointed at it (a
  // BadDeviceToken before the token was shown current) is in its rules' trace, not in its reasons.
  const shown = c.status === 'ruled_out' ? deciding : c.decided;
  const evidence = new Map<string, EvidenceReport>();
  for (const r of shown)
    for (const f of r.evidence) evidence.set(`${f.name}\u0000${String(f.value)}\u0000${describeSource(f.source)}\u0000${f.at ?? ''}`, evidenceOf(f));
  // Next steps only where a rule holds; an open cause instead says which facts would settle it.
  const nextSteps = [...new Set((c.status === 'ruled_out' ? [] : deciding).flatMap((r) => r.rule.nextSteps.map((s) => fillTemplate(s, index))))];
  const missing =
    c.status === 'confirmed' || c.status === 'ruled_out'
      ? []
      : [...new Set(c.rules.filter((r) => r.trace.result === 'unknown').flatMap((r) => (r.trace.missing ?? []).flatMap(neededInstead)))].sort();
  return {
    id: c.cause.id,
    domain: c.cause.domain,
    status: c.status,
    title: c.cause.title,
    summary: c.cause.summary,
    // A confirmed cause can also have a ruling-out rule hold (contradicting evidence): say so.
    because: [
      ...shown.map(
        (r) =>
          `${c.status === 'confirmed' && r.rule.outcome === 'rules_out' ? 'Yet other evidence speaks against it: ' : ''}${fillTemplate(r.rule.because, index)}`,
      ),
      ...(c.contested ?? []).map(
        (name) => `An answer and the evidence disagree on ${contestedWords(name)} (see the conflicts): this stays open until one of them is settled.`,
      ),
    ],
    evidence: [...evidence.values()],
    nextSteps,
    missing,
    source: c.cause.source,
    rules: c.rules.map((r) => ({ id: r.rule.id, outcome: r.rule.outcome, result: r.trace.result, source: r.rule.source, trace: traceNode(r.trace) })),
    ...(c.contested ? { contested: c.contested } : {}),
  };
}

/**
 * Every timed observation in time order (a folded fact shows the latest of its observations). Pauses
 * at each folded fact, and before sorting: a push-heavy bundle's thousands of events took 30-50 ms at once.
 */
function* timelineSteps(facts: Diagnosis['facts']): Steps<TimelineEvent[]> {
  const timeline: TimelineEvent[] = [];
  for (const f of facts) {
    if (!f.at) continue;
    if (f.fold) yield;
    timelineEvents(timeline, f);
  }
  yield;
  timeline.sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.fact < b.fact ? -1 : a.fact > b.fact ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : 0,
  );
  return timeline;
}

/** A fact's events on the timeline, appended: a folded fact shows its observations (the latest ones when there are many); the first says how many there are in all. */
function timelineEvents(timeline: TimelineEvent[], f: Diagnosis['facts'][number]): void {
  const shown = f.fold ? examplesOf(f, TIMELINE_PER_FOLD / 10, (TIMELINE_PER_FOLD * 9) / 10) : [f];
  // Built property by property, in the order the JSON shows them: spreads of optional keys cost thousands of events as many object copies.
  for (let i = 0; i < shown.length; i++) {
    const x = shown[i]!;
    if (!x.at) continue;
    const e: TimelineEvent = { at: x.at, fact: x.name, label: factDefinition(x.name)?.description ?? x.name, value: x.value, source: describeSource(x.source) };
    if (x.attrs) e.attrs = x.attrs;
    if (f.fold && i === 0) {
      e.count = f.fold.count;
      if (f.fold.lastAt) e.lastAt = f.fold.lastAt;
    }
    timeline.push(e);
  }
}
