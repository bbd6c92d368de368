import { messageLabel, messageTime, messageWords, parseMessageLabel, type WordsOptions } from '../report/render/index.js';

/**
 * How a thread's message is named as evidence: the label is written and read
 * in report/render/messages.ts (the Feedback draft names messages too);
 * this module adds what only Slack shows, the author as a mention.
 */
export { messageLabel };

/**
 * A mention survives escaping as these two private-use characters around
 * the user id, and becomes <@U…> in the finished mrkdwn (see unmention):
 * only ids pushcheck put there become mentions, never text from a file.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';

export function unmention(mrkdwn: string): string {
  return mrkdwn.replace(new RegExp(`${OPEN}([UW][A-Z0-9]+)${CLOSE}`, 'g'), '<@$1>').replace(new RegExp(`[${OPEN}${CLOSE}]`, 'g'), '');
}

/** Words for Slack blocks: people as mentions, messages as "@ann's message at …". */
export const SLACK_WORDS: WordsOptions = {
  person: (id) => (/^[UW][A-Z0-9]+$/.test(id) ? `${OPEN}${id}${CLOSE}` : undefined),
  inputName: (input) => {
    const m = parseMessageLabel(input);
    if (!m) return undefined;
    const who = m.user ? `${OPEN}${m.user}${CLOSE}'s message` : 'a message';
    return `${who} at ${messageTime(m.ts)}`;
  },
};

/** Words for files read outside Slack (the attached Markdown report): no raw ids, times instead of ts. */
export const FILE_WORDS: WordsOptions = {
  person: () => undefined,
  inputName: messageWords,
};

/** An input label for a thread reply (mrkdwn, already escaped apart from the mention). */
export function inputWords(label: string): string {
  return SLACK_WORDS.inputName!(label) ?? label;
}

/**
 * Why an answer was not taken, without the question's id (the engine's
 * message names it for the command line): "This answer takes yes or no…".
 */
export function answerError(message: string, questionId?: string): string {
  let m = message.replace(/^There is no question \S+\.$/, 'That question is no longer asked (pushcheck was updated since); the summary has the current ones.');
  if (questionId) m = m.split(`${questionId}: `).join('').split(`${questionId} `).join('This answer ');
  m = m.replace(/\bq\.[a-z0-9_]+(?:\.[a-z0-9_]+)+/g, 'this question');
  return m.charAt(0).toUpperCase() + m.slice(1);
}
