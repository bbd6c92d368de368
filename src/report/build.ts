import { factDefinition } from '../facts/catalog/index.js';
import { describeSource } from '../facts/order.js';
import type { Fact } from '../facts/schema.js';
import type { Diagnosis } from '../engine/diagnose.js';
import { indexFacts, type Trace } from '../engine/evaluate.js';
import { buildEscalation } from '../escalation/draft.js';
import { focusDomains } from './focus.js';
import { nextAction } from './next.js';
import { formatSpan, formatTime, isIsoTime } from './time.js';
import type { CauseReport, EvidenceReport, Report, TimelineEvent, TraceNode } from './types.js';

export function evidenceOf(f: Fact): EvidenceReport {
  return {
    fact: f.name,
    value: f.value,
    source: describeSource(f.source),
    origin: f.source,
    ...(f.at ? { at: f.at } : {}),
    ...(f.attrs ? { attrs: f.attrs } : {}),
  };
}

/**
 * A fact's value as a sentence shows it: times in UTC with the zone the
 * source wrote (or "zone unknown"), an event (a CheckOut logged as `true`)
 * by its time rather than "true".
 */
function templateValue(f: Fact): string {
  const zone = f.attrs?.zone;
  if (factDefinition(f.name)?.type === 'time') {
    if (isIsoTime(f.value)) return formatTime(f.value, zone);
    if (f.at && isIsoTime(f.at)) return formatTime(f.at, zone);
    return typeof f.value === 'boolean' ? 'time not logged' : String(f.value);
  }
  if (typeof f.value === 'boolean') return f.value ? 'yes' : 'no';
  return String(f.value);
}

/** Fills {{fact.name}} with the observed values (distinct, in fact order), or "(not known yet)". */
export function fillTemplate(text: string, index: ReadonlyMap<string, readonly Fact[]>): string {
  return text.replace(/\{\{\s*([a-z0-9_.]+)\s*\}\}/g, (_m, name: string) => {
    const facts = index.get(name) ?? [];
    // Many events of one kind (CheckOut logged five times) read as one span.
    const timed = facts.filter((f) => factDefinition(f.name)?.type === 'time' && !isIsoTime(f.value) && f.at && isIsoTime(f.at));
    if (timed.length > 1 && timed.length === facts.length && new Set(timed.map((f) => f.attrs?.zone)).size === 1)
      return formatSpan(timed.map((f) => f.at!), timed[0]!.attrs?.zone);
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

const STATUS_WORDS = { confirmed: 'confirmed', likely: 'likely', open: 'open', ruled_out: 'ruled out' } as const;

/** What a person can supply for a missing fact: itself, or the inputs of a derived one. */
function neededInstead(name: string): string[] {
  const def = factDefinition(name);
  if (!def?.derived) return [name];
  return def.derivedFrom ?? [];
}

export function buildReport(d: Diagnosis): Report {
  const index = indexFacts(d.facts);

  const causes: CauseReport[] = d.causes.map((c) => {
    const deciding = c.decided.filter((r) => (c.status === 'ruled_out' ? r.rule.outcome === 'rules_out' : r.rule.outcome !== 'rules_out'));
    const evidence = new Map<string, EvidenceReport>();
    for (const r of c.decided) for (const f of r.evidence) evidence.set(`${f.name}\u0000${String(f.value)}\u0000${describeSource(f.source)}\u0000${f.at ?? ''}`, evidenceOf(f));
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
      because: c.decided.map((r) => `${c.status === 'confirmed' && r.rule.outcome === 'rules_out' ? 'Yet other evidence speaks against it: ' : ''}${fillTemplate(r.rule.because, index)}`),
      evidence: [...evidence.values()],
      nextSteps,
      missing,
      source: c.cause.source,
      rules: c.rules.map((r) => ({ id: r.rule.id, outcome: r.rule.outcome, result: r.trace.result, source: r.rule.source, trace: traceNode(r.trace) })),
    };
  });

  const timeline: TimelineEvent[] = d.facts
    .filter((f) => f.at)
    .map((f) => ({
      at: f.at!,
      fact: f.name,
      label: factDefinition(f.name)?.description ?? f.name,
      value: f.value,
      source: describeSource(f.source),
      ...(f.attrs ? { attrs: f.attrs } : {}),
    }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.fact < b.fact ? -1 : a.fact > b.fact ? 1 : 0));

  const report: Report = {
    schemaVersion: 1,
    domains: d.domains,
    headline: '',
    // Filled in below, once causes, questions and the escalation are known (key order kept for the JSON).
    nextAction: { kind: 'none', text: '' },
    focus: [],
    device: {
      model: first(index, 'device.model'),
      osVersion: first(index, 'device.os_version'),
      osBuild: first(index, 'device.os_build'),
      platform: first(index, 'device.platform'),
      sysdiagnoseAt: first(index, 'device.sysdiagnose_at'),
    },
    notes: d.advisories.map((a) => ({ id: a.advisory.id, text: fillTemplate(a.advisory.text, index), evidence: a.evidence.map(evidenceOf), source: a.advisory.source })),
    causes,
    questions: d.questions.map((q) => ({
      id: q.question.id,
      text: q.question.text,
      ...(q.question.help ? { help: q.question.help } : {}),
      type: q.question.type,
      answers:
        q.question.type === 'yesno'
          ? [
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
              { value: 'unknown', label: "Don't know" },
            ]
          : q.question.type === 'choice'
            ? [...(q.question.options ?? []), { value: 'unknown', label: "Don't know" }]
            : [],
      ...(q.question.pattern ? { pattern: q.question.pattern } : {}),
      settles: q.settles,
    })),
    escalation: null,
    problems: d.problems.map((p) => ({ input: p.input, ...(p.member ? { member: p.member } : {}), code: p.code, message: p.message })),
    conflicts: d.conflicts.map((c) => ({ fact: c.fact, values: c.values.map(evidenceOf) })),
    facts: d.facts.map((f) => ({ ...evidenceOf(f), ...(factDefinition(f.name)?.secret ? { secret: true } : {}) })),
    timeline,
  };
  // Drop undefined keys so JSON output is byte-stable.
  report.device = JSON.parse(JSON.stringify(report.device));
  if (d.escalate) report.escalation = buildEscalation(report);
  report.focus = focusDomains(report);
  const next = nextAction(report);
  report.headline = next.headline;
  report.nextAction = next.next;
  return report;
}

export { STATUS_WORDS };
