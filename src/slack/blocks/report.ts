import { digest, opening, type Digest, type FoundCause } from '../../report/render/index.js';
import type { QuestionReport, Report } from '../../report/types.js';
import { SLACK_WORDS, unmention } from '../words.js';
import { IDS, encodeAnswer } from './ids.js';
import { LIMITS, clip, fitChars, sections, splitBlocks, totalChars, type Block } from './budget.js';

/** Characters kept for the causes when the rest of the summary is long (the top cause's title and first reasons). */
const CAUSE_ROOM = 2000;

const EMOJI = { confirmed: ':red_circle:', likely: ':large_orange_circle:' } as const;

/** Escapes the three characters Slack mrkdwn treats as control characters; pushcheck's own mentions survive. */
export function esc(text: string): string {
  return unmention(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * How much the summary shows. Level 0 is the whole 30-second view; each
 * level gives up a little more (all of it is in "Show all evidence") so a
 * case with many ruled-out causes and long advice still reads as one short
 * message: about 3,000 characters.
 */
interface Compact {
  sources: boolean;
  seen: number;
  steps: number;
  /** Characters of a note and of a ruled-out cause's reason. */
  note: number;
  reason: number;
  /** Ruled-out titles without their parenthetical asides. */
  shortTitles: boolean;
  /** The reasons a cause holds, when observations are shown too (a reason against it is always shown). */
  why: boolean;
  /** When the sysdiagnose was taken, beside the device. */
  taken: boolean;
}

const LEVELS: Compact[] = [
  { sources: true, seen: 3, steps: 3, note: Infinity, reason: 90, shortTitles: false, why: true, taken: true },
  { sources: false, seen: 3, steps: 3, note: Infinity, reason: 90, shortTitles: false, why: true, taken: true },
  { sources: false, seen: 3, steps: 3, note: 320, reason: 80, shortTitles: true, why: true, taken: true },
  { sources: false, seen: 3, steps: 2, note: 200, reason: 80, shortTitles: true, why: true, taken: false },
  { sources: false, seen: 3, steps: 2, note: 160, reason: 80, shortTitles: true, why: false, taken: false },
  // Shorter notes and reasons before fewer observations: what was seen is the evidence, the rest is a click away.
  { sources: false, seen: 3, steps: 2, note: 120, reason: 60, shortTitles: true, why: false, taken: false },
  { sources: false, seen: 2, steps: 2, note: 120, reason: 60, shortTitles: true, why: false, taken: false },
  { sources: false, seen: 2, steps: 2, note: 120, reason: 48, shortTitles: true, why: false, taken: false },
];

/** The summary's target size; Slack's own limits (budget.ts) are the hard ones. */
const SOFT_CHARS = 3000;

const more = (n: number, what: string) => `_and ${n} more ${what}${n === 1 ? '' : 's'} (Show all evidence)_`;

function causeBlocks(c: FoundCause, k: Compact): Block[] {
  const lines = [`${EMOJI[c.status]} *${c.status.toUpperCase()}: ${esc(c.title)}*`];
  for (const w of c.why) if (k.why || !c.seen.length || w.startsWith('Yet other evidence')) lines.push(`*Why:* ${esc(w)}`);
  if (c.seen.length) {
    const seen = c.seen.slice(0, k.seen);
    lines.push('*Seen:*');
    for (const s of seen) lines.push(`• ${esc(s)}`);
    const left = c.moreSeen + c.seen.length - seen.length;
    if (left) lines.push(more(left, 'observation'));
  }
  if (c.steps.length) {
    const steps = c.steps.slice(0, k.steps);
    lines.push('*Do:*');
    steps.forEach((s, i) => lines.push(c.steps.length > 1 ? `${i + 1}. ${esc(s)}` : esc(s)));
    const left = c.moreSteps + c.steps.length - steps.length;
    if (left) lines.push(more(left, 'step'));
  }
  const blocks = sections(lines.join('\n'));
  // The document by title; its section is in the full report.
  if (k.sources) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`Source: ${esc(c.document)}`, 2000) }] });
  return blocks;
}

/** One question, as buttons (yes/no, choices) or a button opening a modal (typed values); with its help unless `brief`. */
function questionBlocks(key: string, q: QuestionReport, brief = false): Block[] {
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: clip(`:question: *${esc(q.text)}*`, LIMITS.sectionChars) } }];
  if (q.help && !brief) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(esc(q.help), 2000) }] });
  const buttons =
    q.answers.length > 0
      ? q.answers.slice(0, 25).map((a, i) => ({
          type: 'button' as const,
          action_id: IDS.answerButtonId(i),
          text: { type: 'plain_text' as const, text: clip(a.label, LIMITS.buttonText) },
          value: encodeAnswer(key, q.id, a.value),
        }))
      : [
          {
            type: 'button' as const,
            action_id: IDS.answerModalButton,
            style: 'primary' as const,
            text: { type: 'plain_text' as const, text: 'Answer…' },
            value: encodeAnswer(key, q.id, ''),
          },
          {
            type: 'button' as const,
            action_id: IDS.answerButtonId(0),
            text: { type: 'plain_text' as const, text: "Don't know" },
            value: encodeAnswer(key, q.id, 'unknown'),
          },
        ];
  blocks.push({ type: 'actions', block_id: `q:${q.id}`.slice(0, 255), elements: buttons });
  return blocks;
}

/** Several questions with their buttons (the "More questions" reply). */
export function questionsBlocks(key: string, questions: readonly QuestionReport[], brief = false): Block[] {
  return questions.flatMap((q) => questionBlocks(key, q, brief));
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

function contextBlock(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, 2000) }] };
}

function headBlocks(d: Digest, note: string | undefined, k: Compact): Block[] {
  const head: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'pushcheck diagnosis' } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*${esc(d.headline)}*`, LIMITS.sectionChars) } },
  ];
  const device = d.device && (k.taken ? d.device : d.device.replace(/,? sysdiagnose taken .*$/, ''));
  const ctx = [d.about && `About: ${d.about}`, device && `Device: ${device}`, d.inputs && `Evidence: ${d.inputs}`, note].filter(Boolean) as string[];
  if (ctx.length) head.push(contextBlock(esc(ctx.join(' · '))));
  // Notes by their opening sentences: the full text is one click away ("Show all evidence"), and the summary says so
  // whenever it shortened one, so that a note's advice cut after its first sentence is not taken for all of it.
  if (d.notes.length) {
    const shown = d.notes.map((n) => {
      const o = opening(n, k.note);
      return o === n || o.endsWith('…') ? o : `${o} …`;
    });
    const text = shown.map((o) => `:information_source: ${esc(o)}`).join('\n');
    head.push({ type: 'section', block_id: NOTES_ID, text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionChars) } });
    if (shown.some((o, i) => o !== d.notes[i]) || text.length > LIMITS.sectionChars) head.push(notesPointer());
  }
  return head;
}

const NOTES_ID = 'notes';
const NOTES_MORE_ID = 'notes_more';
/** Short (under fitChars' floor), so it is never shortened itself. */
const notesPointer = (): Block => ({
  type: 'context',
  block_id: NOTES_MORE_ID,
  elements: [{ type: 'mrkdwn', text: ':information_source: _Notes shortened here: each one in full in the full report (Show all evidence)._' }],
});

/** The notes section shortened to fit the message: the pointer to their full text goes under it, if not there yet. */
function withNotesPointer(head: Block[], drawn: readonly Block[]): Block[] {
  const text = (bs: readonly Block[]) => {
    const b = bs.find((x) => x.block_id === NOTES_ID);
    return b?.type === 'section' ? b.text?.text : undefined;
  };
  if (text(head) === text(drawn) || head.some((b) => b.block_id === NOTES_MORE_ID)) return head;
  const at = head.findIndex((b) => b.block_id === NOTES_ID);
  return [...head.slice(0, at + 1), notesPointer(), ...head.slice(at + 1)];
}

/** Ruled out in one line each, open causes by title, inputs that could not be used. */
function restBlocks(d: Digest, k: Compact): Block[] {
  const rest: Block[] = [];
  const title = (t: string) => (k.shortTitles ? t.replace(/\s+\([^()]*\)$/, '') : t);
  if (d.ruledOut.length)
    rest.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `:white_check_mark: *Ruled out*\n${d.ruledOut.map((r) => `• ${esc(title(r.title))} — _${esc(opening(r.reason, k.reason))}_`).join('\n')}`,
          LIMITS.sectionChars,
        ),
      },
    });
  if (d.open.length) rest.push(contextBlock(`*Still open:* ${esc(d.open.join('; '))}`));
  if (d.problems.length) {
    const lines = d.problems.slice(0, 8).map((p) => `• ${esc(p)}`);
    if (d.problems.length > 8) lines.push(`…and ${d.problems.length - 8} more`);
    rest.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`:warning: *Inputs that could not be used*\n${lines.join('\n')}`, LIMITS.sectionChars) } });
  }
  return rest;
}

function askBlocks(key: string, d: Digest): Block[] {
  if (!d.questions.length) return [];
  // The summary keeps to the questions and their buttons; the help is in the answer form and under "More questions".
  const blocks: Block[] = [{ type: 'divider' }, ...questionsBlocks(key, d.questions, true)];
  if (d.moreQuestions.length)
    blocks.push({
      type: 'actions',
      block_id: 'more_questions',
      elements: [
        { type: 'button', action_id: IDS.moreQuestions, text: { type: 'plain_text', text: `More questions (${d.moreQuestions.length})` }, value: key },
      ],
    });
  return blocks;
}

function actionBlock(key: string, report: Report): Block {
  return {
    type: 'actions',
    block_id: 'report_actions',
    elements: [
      { type: 'button', action_id: IDS.showAllEvidence, text: { type: 'plain_text', text: 'Show all evidence' }, value: key },
      ...(report.escalation
        ? [
            {
              type: 'button' as const,
              action_id: IDS.feedbackDraft,
              style: 'primary' as const,
              text: { type: 'plain_text' as const, text: 'Draft Apple Feedback' },
              value: key,
            },
          ]
        : []),
    ],
  };
}

/**
 * The summary message, the 30-second view: the headline with the next
 * action, the confirmed and likely causes, the top questions as buttons
 * ("More questions" for the rest), one line per ruled-out cause, open
 * causes by title, and "Show all evidence". Questions and buttons always
 * fit; causes are cut at the budget and the full report attached.
 */
export function summaryBlocks(report: Report, opts: SummaryOptions): Summary {
  const d = digest(report, SLACK_WORDS);
  const draw = (k: Compact) => ({
    head: headBlocks(d, opts.note, k),
    tail: [...askBlocks(opts.key, d), ...restBlocks(d, k), actionBlock(opts.key, report)],
    causes: d.found.flatMap((c) => causeBlocks(c, k)),
  });
  let drawn = draw(LEVELS[0]!);
  for (const k of LEVELS.slice(1)) {
    if (totalChars([...drawn.head, ...drawn.tail, ...drawn.causes]) <= SOFT_CHARS) break;
    drawn = draw(k);
  }
  const { head, tail, causes } = drawn;

  const maxBlocks = opts.budget?.maxBlocks ?? LIMITS.blocksPerMessage;
  const maxChars = opts.budget?.maxChars ?? LIMITS.messageChars;
  const note: Block = contextBlock(':page_facing_up: The full report is attached in this thread as a Markdown file.');
  // Headline, notes, questions and the rest each fit a section, but not all
  // together: shrink them (longest first) so the top cause keeps some room.
  const framed = fitChars([...head, ...tail], maxChars - 100 - (causes.length ? Math.min(CAUSE_ROOM, totalChars(causes)) : 0));
  const drawnHead = [...head];
  head.splice(0, head.length, ...withNotesPointer(framed.slice(0, head.length), drawnHead));
  tail.splice(0, tail.length, ...framed.slice(head.length));
  const room = { maxBlocks: maxBlocks - head.length - tail.length - 2, maxChars: maxChars - totalChars(head) - totalChars(tail) - 100 };
  const fitted = causes.length ? splitBlocks(causes, room) : [[]];
  const truncated = fitted.length > 1;
  // splitBlocks always keeps the first block; when that alone is over the room, shorten it.
  const body = fitChars(fitted[0] ?? [], room.maxChars);
  const blocks = [...head, ...(body.length ? [{ type: 'divider' } as Block, ...body] : []), ...(truncated ? [note] : []), ...tail];
  const next = d.questions[0];
  // The notification: plain words, no mrkdwn or emoji codes.
  const text = `pushcheck: ${d.headline}`.replace(/[\uE000\uE001]/g, '');
  return { text: clip(next && !d.headline.includes(next.text) ? `${text} Next question: ${next.text}` : text, 3000), blocks, truncated };
}
