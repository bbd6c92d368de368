import type { CauseStatus } from '../../engine/diagnose.js';
import { DOMAIN_WORDS, focusDomains } from '../focus.js';
import type { CauseReport, EvidenceReport, Report, RuleTraceReport, TraceNode } from '../types.js';
import { prose } from './digest.js';
import { sourceWords } from './documents.js';
import type { Node } from './doc.js';
import { foldEvidence, observationLine, observationWords } from './observations.js';
import { formatTime } from '../time.js';
import { Places, type WordsOptions } from './places.js';
import { answerHint, answerLabels, deviceLine, factWords, scrubIds } from './words.js';

export interface FullOptions extends WordsOptions {
  answers?: 'cli' | 'words';
}

const GROUPS: { status: CauseStatus; heading: string }[] = [
  { status: 'confirmed', heading: 'Confirmed causes' },
  { status: 'likely', heading: 'Likely causes' },
  { status: 'open', heading: 'Open causes (not settled yet)' },
  { status: 'ruled_out', heading: 'Ruled-out causes' },
];

const OUTCOME = { confirms: 'Confirms it when', suggests: 'Makes it likely when', rules_out: 'Rules it out when' } as const;
const RESULT = { true: 'holds', false: 'does not hold', unknown: 'not known yet' } as const;
const MARK = { true: '✓', false: '✗', unknown: '?' } as const;

function needsWords(names: readonly string[]): string {
  return names.map((m) => factWords(m) ?? scrubIds(m)).join('; ');
}

function traceLines(t: TraceNode, depth: number, out: { depth: number; text: string }[]): void {
  const says = t.says === 'all of' ? 'all of these' : t.says === 'any of' ? 'any of these' : t.says === 'not' ? 'not this' : scrubIds(t.says);
  out.push({
    depth,
    text: `${MARK[String(t.result) as keyof typeof MARK]} ${says}${t.result === 'unknown' && t.missing?.length ? ` (needs: ${needsWords(t.missing)})` : ''}`,
  });
  for (const c of t.children ?? []) traceLines(c, depth + 1, out);
}

function ruleLines(rules: readonly RuleTraceReport[], cause: CauseReport): { depth: number; text: string }[] {
  const out: { depth: number; text: string }[] = [];
  for (const r of rules) {
    const src = r.source.document === cause.source.document && r.source.section === cause.source.section ? '' : ` (source: ${sourceWords(r.source)})`;
    out.push({ depth: 0, text: `${OUTCOME[r.outcome]}: ${RESULT[String(r.result) as keyof typeof RESULT]}${src}` });
    traceLines(r.trace, 1, out);
  }
  return out;
}

function seen(evidence: readonly EvidenceReport[], places: Places): string[] {
  return foldEvidence(evidence, places, { brief: false }).map(observationLine);
}

function causeNodes(c: CauseReport, places: Places, focus: readonly string[]): Node[] {
  const nodes: Node[] = [{ t: 'cause', status: c.status, title: c.title, ...(focus.includes(c.domain) ? {} : { aside: `about ${DOMAIN_WORDS[c.domain]}` }) }];
  nodes.push({ t: 'para', text: prose(c.summary, false) });
  if (c.because.length) nodes.push({ t: 'field', label: 'Why', items: c.because.map((b) => prose(b, false)) });
  const obs = seen(c.evidence, places);
  if (obs.length) nodes.push({ t: 'field', label: 'Seen', items: obs });
  if (c.nextSteps.length) nodes.push({ t: 'field', label: 'Do', items: c.nextSteps.map((s) => prose(s, false)), ordered: true });
  if (c.missing.length) nodes.push({ t: 'field', label: 'Needs', items: c.missing.map((m) => factWords(m) ?? scrubIds(m)) });
  if (c.rules.length)
    nodes.push({ t: 'field', label: 'Rules', items: ['what pushcheck checked, and how it came out:'] }, { t: 'tree', lines: ruleLines(c.rules, c) });
  nodes.push({ t: 'field', label: 'Source', items: [sourceWords(c.source)] }, { t: 'gap' });
  return nodes;
}

/**
 * Everything the JSON holds, in words: every cause of every kind with its
 * evidence, the rules and how each came out, conflicts, every question,
 * the timeline and every observation. Ids stay in the JSON.
 */
export function fullNodes(report: Report, opts: FullOptions = {}): Node[] {
  const places = new Places(report, opts);
  const focus = report.focus ?? focusDomains(report);
  const nodes: Node[] = [...headerNodes(report, places, focus), ...noteNodes(report, places)];

  for (const g of GROUPS) {
    // The case's own kinds first, then the others (marked), each in the engine's order.
    const causes = report.causes.filter((c) => c.status === g.status).sort((a, b) => Number(!focus.includes(a.domain)) - Number(!focus.includes(b.domain)));
    if (!causes.length) continue;
    nodes.push({ t: 'heading', text: g.heading });
    for (const c of causes) nodes.push(...causeNodes(c, places, focus));
  }

  if (report.conflicts.length) {
    nodes.push({ t: 'heading', text: 'Conflicting evidence' });
    for (const k of report.conflicts) nodes.push({ t: 'field', label: factWords(k.fact) ?? scrubIds(k.fact), items: seen(k.values, places) });
    nodes.push({ t: 'gap' });
  }

  nodes.push(...questionNodes(report, opts));

  if (report.problems.length) {
    nodes.push({ t: 'heading', text: 'Inputs that could not be used' });
    nodes.push(
      { t: 'list', items: report.problems.map((p) => `${p.member ? places.member(p.input, p.member) : places.input(p.input)}: ${p.message}`) },
      { t: 'gap' },
    );
  }

  nodes.push(...timelineNodes(report, places));

  if (report.facts.length) {
    nodes.push({ t: 'heading', text: 'Every observation' });
    nodes.push({ t: 'list', items: seen(report.facts, places) }, { t: 'gap' });
  }

  if (report.escalation) {
    nodes.push({ t: 'heading', text: 'Apple Feedback draft' }, { t: 'code', text: report.escalation.feedbackDraft });
    if (report.escalation.missing.length)
      nodes.push({ t: 'field', label: 'Before filing, gather', items: report.escalation.missing.map((m) => prose(m, false)) });
  }
  return nodes;
}

/** The title and what the case is about: its kinds, the device, the evidence. */
function headerNodes(report: Report, places: Places, focus: readonly Report['domains'][number][]): Node[] {
  const nodes: Node[] = [{ t: 'title', text: prose(report.headline, false) }];
  if (focus.length) nodes.push({ t: 'meta', label: 'About', text: focus.map((d) => DOMAIN_WORDS[d]).join(' and ') });
  const other = report.domains.filter((d) => !focus.includes(d));
  if (other.length) nodes.push({ t: 'meta', label: 'Also touched', text: other.map((d) => DOMAIN_WORDS[d]).join(' and ') });
  const device = deviceLine(report);
  if (device) nodes.push({ t: 'meta', label: 'Device', text: device });
  const inputs = places.inputsLine(report);
  if (inputs) nodes.push({ t: 'meta', label: 'Evidence', text: inputs });
  nodes.push({ t: 'gap' });
  return nodes;
}

function noteNodes(report: Report, places: Places): Node[] {
  if (!report.notes.length) return [];
  const nodes: Node[] = [{ t: 'heading', text: 'Notes' }];
  for (const n of report.notes) {
    nodes.push({ t: 'para', text: places.inWords(n.text) });
    const obs = seen(n.evidence, places);
    if (obs.length) nodes.push({ t: 'field', label: 'Seen', items: obs });
    nodes.push({ t: 'field', label: 'Source', items: [sourceWords(n.source)] }, { t: 'gap' });
  }
  return nodes;
}

/** The questions, with how to answer each (the CLI's --answer, or the choices offered). */
function questionNodes(report: Report, opts: FullOptions): Node[] {
  if (!report.questions.length) return [];
  const items = report.questions.map((q) => {
    const how = opts.answers === 'cli' ? `--answer ${q.id}=… (${answerHint(q)})` : `answer: ${answerLabels(q)}`;
    return `${q.text}${q.help ? `\n${prose(q.help, false)}` : ''}\n${how}`;
  });
  return [{ t: 'heading', text: opts.answers === 'cli' ? 'Questions (answer with --answer)' : 'Questions' }, { t: 'list', mark: '?', items }, { t: 'gap' }];
}

/** Every timed event, with what it was and where it was read. */
function timelineNodes(report: Report, places: Places): Node[] {
  if (!report.timeline.length) return [];
  const items = report.timeline.map((e) => {
    const fact = report.facts.find((f) => f.fact === e.fact && f.at === e.at && f.source === e.source);
    const where = fact
      ? `${places.container(fact.origin)}${'line' in fact.origin && fact.origin.line ? ` line ${fact.origin.line}` : ''}`
      : places.inWords(e.source);
    const what = observationWords(
      fact ?? { fact: e.fact, value: e.value, source: e.source, origin: { kind: 'pasted', input: e.source }, at: e.at, ...(e.attrs ? { attrs: e.attrs } : {}) },
      false,
      places,
    );
    return `${formatTime(e.at, e.attrs?.zone)}: ${what} — ${where}`;
  });
  return [{ t: 'heading', text: 'Timeline' }, { t: 'list', items }, { t: 'gap' }];
}
