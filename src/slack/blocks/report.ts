import type { QuestionReport, Report } from '../../report/types.js';
import { STATUS_WORDS } from '../../report/render/words.js';
import { IDS, encodeAnswer } from './ids.js';
import { LIMITS, clip, fitChars, sections, splitBlocks, totalChars, type Block } from './budget.js';

/** Characters kept for the causes when the rest of the summary is long (the top cause's title and first reasons). */
const CAUSE_ROOM = 2000;

const EMOJI = { confirmed: ':red_circle:', likely: ':large_orange_circle:', open: ':white_circle:', ruled_out: ':white_check_mark:' } as const;

/** Escapes the three characters Slack mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function causeBlocks(c: Report['causes'][number]): Block[] {
  const lines = [`${EMOJI[c.status]} *${STATUS_WORDS[c.status].toUpperCase()}: ${esc(c.title)}*`];
  if (c.status === 'ruled_out') {
    // Ruled-out causes stay short: one line with the reason.
    if (c.because[0]) lines.push(`_${esc(c.because[0])}_`);
    return sections(lines.join('\n'));
  }
  for (const b of c.because) lines.push(`• ${esc(b)}`);
  for (const e of c.evidence.slice(0, 6)) lines.push(`   \`${esc(e.fact)}\` = \`${esc(String(e.value))}\` — ${esc(e.source)}${e.at ? ` @ ${e.at}` : ''}`);
  if (c.evidence.length > 6) lines.push(`   …and ${c.evidence.length - 6} more observations (see the full report)`);
  if (c.nextSteps.length) {
    lines.push('*Next steps*');
    c.nextSteps.forEach((s, i) => lines.push(`${i + 1}. ${esc(s)}`));
  }
  if (!c.because.length && c.summary) lines.push(`_${esc(c.summary)}_`);
  return [...sections(lines.join('\n')), { type: 'context', elements: [{ type: 'mrkdwn', text: clip(`Source: ${esc(c.source.document)} — ${esc(c.source.section)}`, 2000) }] }];
}

/** The next question, as buttons (yes/no, choices) or a button opening a modal (typed values). */
export function questionBlocks(key: string, q: QuestionReport): Block[] {
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: clip(`:question: *${esc(q.text)}*`, LIMITS.sectionChars) } }];
  if (q.help) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(esc(q.help), 2000) }] });
  const buttons =
    q.answers.length > 0
      ? q.answers.slice(0, 25).map((a, i) => ({
          type: 'button' as const,
          action_id: IDS.answerButtonId(i),
          text: { type: 'plain_text' as const, text: clip(a.label, LIMITS.buttonText) },
          value: encodeAnswer(key, q.id, a.value),
        }))
      : [
          { type: 'button' as const, action_id: IDS.answerModalButton, style: 'primary' as const, text: { type: 'plain_text' as const, text: 'Answer…' }, value: encodeAnswer(key, q.id, '') },
          { type: 'button' as const, action_id: IDS.answerButtonId(0), text: { type: 'plain_text' as const, text: "Don't know" }, value: encodeAnswer(key, q.id, 'unknown') },
        ];
  blocks.push({ type: 'actions', block_id: `q:${q.id}`.slice(0, 255), elements: buttons });
  return blocks;
}

export interface SummaryOptions {
  key: string;
  /** A line under the headline: who started it, what was read. */
  note?: string;
  budget?: { maxBlocks?: number; maxChars?: number };
}

export interface Summary {
  text: string;
  blocks: Block[];
  /** Causes were left out to fit: attach the full report. */
  truncated: boolean;
}

/**
 * The summary message: headline, causes (as many as fit), problems, the
 * next question and the Feedback button. The question and the button
 * always fit; causes are cut at the budget and the full report attached.
 */
export function summaryBlocks(report: Report, opts: SummaryOptions): Summary {
  const head: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'pushcheck diagnosis' } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*${esc(report.headline)}*`, LIMITS.sectionChars) } },
  ];
  const ctx = [report.domains.length ? `Looked at: ${report.domains.join(', ')}` : undefined, deviceText(report), opts.note].filter(Boolean) as string[];
  if (ctx.length) head.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(esc(ctx.join(' · ')), 2000) }] });
  if (report.notes.length)
    head.push({ type: 'section', text: { type: 'mrkdwn', text: clip(report.notes.map((n) => `:information_source: ${esc(n.text)}`).join('\n'), LIMITS.sectionChars) } });

  const tail: Block[] = [];
  if (report.problems.length) {
    const lines = report.problems.slice(0, 8).map((p) => `• \`${esc(p.input + (p.member ? ` › ${p.member}` : ''))}\`: ${esc(p.message)}`);
    if (report.problems.length > 8) lines.push(`…and ${report.problems.length - 8} more`);
    tail.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`:warning: *Inputs that could not be used*\n${lines.join('\n')}`, LIMITS.sectionChars) } });
  }
  const next = report.questions[0];
  if (next) tail.push({ type: 'divider' }, ...questionBlocks(opts.key, next));
  if (report.escalation)
    tail.push({
      type: 'actions',
      block_id: 'escalation',
      elements: [{ type: 'button', action_id: IDS.feedbackDraft, style: 'primary', text: { type: 'plain_text', text: 'Draft Apple Feedback' }, value: opts.key }],
    });

  const maxBlocks = opts.budget?.maxBlocks ?? LIMITS.blocksPerMessage;
  const maxChars = opts.budget?.maxChars ?? LIMITS.messageChars;
  const note: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: ':page_facing_up: The full report is attached in this thread as a Markdown file.' }] };
  const causes = [...report.causes.flatMap((c) => [...causeBlocks(c)])];
  // Headline, notes, problems and question each fit a section, but not all
  // together: shrink them (longest first) so the top cause keeps some room.
  const framed = fitChars([...head, ...tail], maxChars - 100 - (causes.length ? Math.min(CAUSE_ROOM, totalChars(causes)) : 0));
  head.splice(0, head.length, ...framed.slice(0, head.length));
  tail.splice(0, tail.length, ...framed.slice(head.length));
  const room = { maxBlocks: maxBlocks - head.length - tail.length - 2, maxChars: maxChars - totalChars(head) - totalChars(tail) - 100 };
  const fitted = causes.length ? splitBlocks(causes, room) : [[]];
  const truncated = fitted.length > 1;
  // splitBlocks always keeps the first block; when that alone is over the room, shorten it.
  const body = fitChars(fitted[0] ?? [], room.maxChars);
  const blocks = [...head, ...(body.length ? [{ type: 'divider' } as Block, ...body] : []), ...(truncated ? [note] : []), ...tail];
  const text = `pushcheck: ${report.headline}${next ? ` — next question: ${next.text}` : ''}`;
  return { text: clip(text, 3000), blocks, truncated };
}

function deviceText(r: Report): string | undefined {
  const d = r.device;
  const parts = [d.model, [d.platform, d.osVersion].filter(Boolean).join(' '), d.osBuild && `build ${d.osBuild}`].filter(Boolean);
  return parts.length ? `Device: ${parts.join(', ')}` : undefined;
}
