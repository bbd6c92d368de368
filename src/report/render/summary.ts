import { lowerFirst } from '../next.js';
import type { QuestionReport, Report } from '../types.js';
import { digest, type Digest } from './digest.js';
import type { Node } from './doc.js';
import type { WordsOptions } from './places.js';
import { answerHint, answerLabels } from './words.js';

export interface SummaryOptions extends WordsOptions {
  /** How to answer a question where the rendering is read: "cli" adds `--answer ID=VALUE` (the terminal). */
  answers?: 'cli' | 'words';
  /** Where the full detail is, e.g. "run again with --detail full". */
  fullHint?: string;
}

function questionItem(q: QuestionReport, how: SummaryOptions['answers']): string {
  if (how === 'cli') return `${q.text}  → --answer ${q.id}=${q.answers.length ? q.answers.map((a) => a.value).join('|') : answerHint(q).includes('date') ? 'TIME' : 'VALUE'}`;
  return `${q.text} (${answerLabels(q)})`;
}

/** The 30-second view as layout nodes (text and Markdown print it). */
export function summaryNodes(report: Report, opts: SummaryOptions = {}, d: Digest = digest(report, opts)): Node[] {
  const nodes: Node[] = [{ t: 'title', text: d.headline }];
  if (d.about) nodes.push({ t: 'meta', label: 'About', text: d.about });
  if (d.device) nodes.push({ t: 'meta', label: 'Device', text: d.device });
  if (d.inputs) nodes.push({ t: 'meta', label: 'Evidence', text: d.inputs });
  nodes.push({ t: 'gap' });
  for (const n of d.notes) nodes.push({ t: 'para', text: `Note: ${n}` }, { t: 'gap' });

  for (const c of d.found) {
    nodes.push({ t: 'cause', status: c.status, title: c.title });
    if (c.why.length) nodes.push({ t: 'field', label: 'Why', items: c.why });
    if (c.seen.length) nodes.push({ t: 'field', label: 'Seen', items: [...c.seen, ...(c.moreSeen ? [`and ${c.moreSeen} more observation${c.moreSeen === 1 ? '' : 's'}`] : [])] });
    if (c.steps.length) nodes.push({ t: 'field', label: 'Do', items: c.steps, ordered: true });
    nodes.push({ t: 'field', label: 'Source', items: [c.source] }, { t: 'gap' });
  }

  if (d.questions.length) {
    nodes.push({ t: 'heading', text: opts.answers === 'cli' ? 'Questions (answer with --answer)' : 'Questions' });
    nodes.push({ t: 'list', mark: '?', items: d.questions.map((q) => questionItem(q, opts.answers)) });
    if (d.moreQuestions.length) nodes.push({ t: 'para', dim: true, text: `and ${d.moreQuestions.length} more question${d.moreQuestions.length === 1 ? '' : 's'}${opts.fullHint ? ` (${opts.fullHint})` : ' (in the full report)'}` });
    nodes.push({ t: 'gap' });
  }

  if (d.ruledOut.length) {
    nodes.push({ t: 'heading', text: 'Ruled out' });
    nodes.push({ t: 'list', mark: '✓', items: d.ruledOut.map((r) => `${r.title} — ${lowerFirst(r.reason)}`) }, { t: 'gap' });
  }
  if (d.open.length) nodes.push({ t: 'para', text: `Still open: ${d.open.join('; ')}.` }, { t: 'gap' });

  if (d.problems.length) nodes.push({ t: 'heading', text: 'Inputs that could not be used' }, { t: 'list', items: d.problems }, { t: 'gap' });

  if (report.escalation) {
    nodes.push({ t: 'heading', text: 'Apple Feedback draft' }, { t: 'code', text: report.escalation.feedbackDraft });
    if (d.escalation?.missing.length) nodes.push({ t: 'field', label: 'Before filing, gather', items: d.escalation.missing });
    nodes.push({ t: 'gap' });
  }
  if (opts.fullHint) nodes.push({ t: 'para', dim: true, text: `Every cause and observation: ${opts.fullHint}.` });
  return nodes;
}
