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
  /** Name each cause's source document (Markdown, for tickets); the terminal view leaves it to the full view. */
  sources?: boolean;
}

function questionItem(q: QuestionReport, how: SummaryOptions['answers']): string {
  if (how === 'cli')
    return `${q.text}  → --answer ${q.id}=${q.answers.length ? q.answers.map((a) => a.value).join('|') : answerHint(q).includes('date') ? 'TIME' : 'VALUE'}`;
  return `${q.text} (${answerLabels(q)})`;
}

/** The 30-second view as layout nodes (text and Markdown print it). */
export function summaryNodes(report: Report, opts: SummaryOptions = {}, d: Digest = digest(report, opts)): Node[] {
  const nodes: Node[] = [{ t: 'title', text: d.headline }];
  // One line of context, as the Slack summary has it.
  const about = [d.about, d.device].filter(Boolean).join(' — ');
  const context = [about && `${d.about ? 'About' : 'Device'}: ${about}`, d.inputs && `Evidence: ${d.inputs}`].filter(Boolean).join(' · ');
  if (context) nodes.push({ t: 'para', text: context });
  // Notes sit under the context line: both say what the case is, before what was found.
  if (!d.notes.length) nodes.push({ t: 'gap' });
  // Notes one under the other: each is a paragraph of its own, the block is one.
  for (const n of d.notes) nodes.push({ t: 'line', text: `Note: ${n}` });
  if (d.notes.length) nodes.push({ t: 'gap' });

  for (const c of d.found) {
    nodes.push({ t: 'cause', status: c.status, title: c.title });
    if (c.why.length) nodes.push({ t: 'field', label: 'Why', items: c.why });
    // "Seen (3 of 4)": the rest is in the full view.
    if (c.seen.length) nodes.push({ t: 'field', label: c.moreSeen ? `Seen (${c.seen.length} of ${c.seen.length + c.moreSeen})` : 'Seen', items: c.seen });
    if (c.steps.length)
      nodes.push({ t: 'field', label: c.moreSteps ? `Do (${c.steps.length} of ${c.steps.length + c.moreSteps})` : 'Do', items: c.steps, ordered: true });
    if (opts.sources) nodes.push({ t: 'field', label: 'Source', items: [c.source] });
    nodes.push({ t: 'gap' });
  }

  if (d.questions.length) {
    const total = d.questions.length + d.moreQuestions.length;
    const count = d.moreQuestions.length ? ` (the top ${d.questions.length} of ${total}; all: ${opts.fullHint ?? 'the full report'})` : '';
    nodes.push({ t: 'heading', text: `Questions${count}${opts.answers === 'cli' ? ', answer with --answer' : ''}` });
    nodes.push({ t: 'list', mark: '?', items: d.questions.map((q) => questionItem(q, opts.answers)) }, { t: 'gap' });
  }

  if (d.ruledOut.length) {
    nodes.push({ t: 'heading', text: 'Ruled out' });
    nodes.push({ t: 'list', mark: '✓', items: d.ruledOut.map((r) => `${r.title} — ${lowerFirst(r.reason)}`) });
  }
  if (d.open.length) nodes.push({ t: 'para', text: `Still open: ${d.open.join('; ')}.` });
  nodes.push({ t: 'gap' });

  if (d.problems.length) nodes.push({ t: 'heading', text: 'Inputs that could not be used' }, { t: 'list', items: d.problems }, { t: 'gap' });

  if (d.escalation) {
    // The draft is for Apple and runs to a page: one step away, like the rest of the detail.
    nodes.push({ t: 'heading', text: 'Apple Feedback draft: ready' });
    nodes.push({
      t: 'para',
      text:
        opts.answers === 'cli'
          ? 'Print it with pushcheck feedback and the same inputs; review it, then file it with Apple.'
          : 'It is in the full report; review it, then file it with Apple.',
    });
    if (d.escalation.missing.length) nodes.push({ t: 'field', label: 'Before filing, gather', items: d.escalation.missing });
    nodes.push({ t: 'gap' });
  }
  // Said once: under the questions when some were left out, else at the end.
  if (opts.fullHint && !d.moreQuestions.length) {
    // Straight under the last section: the pointer belongs to it, and the view stays short.
    if (nodes.at(-1)?.t === 'gap') nodes.pop();
    nodes.push({ t: 'para', dim: true, text: `Every cause and observation: ${opts.fullHint}.` });
  }
  return nodes;
}
