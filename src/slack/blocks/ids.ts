/**
 * Interaction ids. The manifest test checks that every id used in a block
 * has a registered handler, and every slash command / shortcut in
 * manifest.yml has one too.
 */
export const IDS = {
  command: '/pushcheck',
  messageShortcut: 'diagnose_message',
  /** Buttons answering a yes/no or choice question: answer_0, answer_1, … */
  answerButton: /^answer_\d+$/,
  answerButtonId: (i: number) => `answer_${i}`,
  /** Opens the modal for a typed answer (value / time questions). */
  answerModalButton: 'answer_value',
  answerModal: 'answer_value_modal',
  startModal: 'pushcheck_start',
  feedbackDraft: 'feedback_draft',
  /** Posts the questions the summary leaves out, with their buttons. */
  moreQuestions: 'more_questions',
  /** Attaches the full report (every cause, rule and observation) as Markdown. */
  showAllEvidence: 'show_all_evidence',
} as const;

/** A button value: thread key and what it answers (≤2000 characters, no diagnosis state). */
export function encodeAnswer(key: string, question: string, value: string): string {
  return JSON.stringify({ k: key, q: question, v: value });
}

export function decodeAnswer(raw: string | undefined): { key: string; question: string; value: string } | undefined {
  try {
    const o = JSON.parse(raw ?? '') as { k?: unknown; q?: unknown; v?: unknown };
    return typeof o.k === 'string' && typeof o.q === 'string' && typeof o.v === 'string' ? { key: o.k, question: o.q, value: o.v } : undefined;
  } catch {
    return undefined;
  }
}
