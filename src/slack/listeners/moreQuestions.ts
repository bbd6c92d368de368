import type { BlockButtonAction } from '@slack/bolt';
import { LIMITS, splitBlocks } from '../blocks/budget.js';
import { IDS } from '../blocks/ids.js';
import { questionsBlocks } from '../blocks/report.js';
import { inThread } from '../inThread.js';
import type { Listener } from './types.js';

/** "More questions": the questions the summary leaves out, each with its buttons, as a thread reply. */
export const moreQuestionsListener: Listener = {
  registers: { actions: [IDS.moreQuestions] },
  register(app, deps) {
    app.action<BlockButtonAction>(IDS.moreQuestions, async ({ ack, action, client }) => {
      await ack();
      const key = action.value ?? '';
      await inThread(deps, client, key, 'list the other questions', async (thread) => {
        // The questions as they stand now: answers since the summary was drawn may have settled some.
        const rest = await deps.views.moreQuestions(key);
        if (!rest.length) {
          await thread.reply('No more questions beyond those in the summary above.');
          return;
        }
        const n = `${rest.length} more question${rest.length === 1 ? '' : 's'}`;
        const messages = splitBlocks(questionsBlocks(key, rest), { maxBlocks: LIMITS.blocksPerMessage - 1 });
        for (const [i, blocks] of messages.entries()) {
          if (i === 0)
            await thread.reply(`${n}: ${rest[0]!.text}`, [
              { type: 'section', text: { type: 'mrkdwn', text: `*${n}* (the summary above keeps the top three)` } },
              ...blocks,
            ]);
          else await thread.reply('More questions', blocks);
        }
      });
    });
  },
};
