import type { BlockButtonAction } from '@slack/bolt';
import { digest } from '../../report/render/index.js';
import { LIMITS, splitBlocks } from '../blocks/budget.js';
import { IDS } from '../blocks/ids.js';
import { maskReport } from '../blocks/mask.js';
import { questionsBlocks } from '../blocks/report.js';
import { splitKey } from '../context.js';
import { Thread } from '../thread.js';
import { SLACK_WORDS } from '../words.js';
import type { Listener } from './types.js';

/** "More questions": the questions the summary leaves out, each with its buttons, as a thread reply. */
export const moreQuestionsListener: Listener = {
  registers: { actions: [IDS.moreQuestions] },
  register(app, deps) {
    app.action<BlockButtonAction>(IDS.moreQuestions, async ({ ack, action, client }) => {
      await ack();
      const key = action.value ?? '';
      if (!deps.sessions.has(key)) return;
      const { channel, threadTs } = splitKey(key);
      await deps.queue.run(key, async () => {
        const thread = new Thread(deps, client, key, channel, threadTs);
        try {
          // The questions as they stand now: answers since the summary was drawn may have settled some.
          const rest = digest(maskReport(deps.sessions.current(key).report), SLACK_WORDS).moreQuestions;
          if (!rest.length) {
            await thread.reply('No more questions beyond those in the summary above.');
            return;
          }
          const messages = splitBlocks(questionsBlocks(key, rest), { maxBlocks: LIMITS.blocksPerMessage - 1 });
          for (const [i, blocks] of messages.entries()) {
            const text = i === 0 ? `${rest.length} more question${rest.length === 1 ? '' : 's'}: ${rest[0]!.text}` : 'More questions';
            await thread.reply(text, i === 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: `*${rest.length} more question${rest.length === 1 ? '' : 's'}* (the summary above keeps the top three)` } }, ...blocks] : blocks);
          }
        } catch (e) {
          await thread.fail('list the other questions', e);
        }
      });
    });
  },
};
