import type { BlockButtonAction } from '@slack/bolt';
import { decodeAnswer, IDS } from '../blocks/ids.js';
import { slackTsToIso } from '../context.js';
import { recordAnswer } from '../answer.js';
import type { Listener } from './types.js';

/** Yes / No / a choice / Don't know, clicked in the summary. */
export const answerButtonListener: Listener = {
  registers: { actions: [IDS.answerButton] },
  register(app, deps) {
    app.action<BlockButtonAction>(IDS.answerButton, async ({ ack, action, body, client }) => {
      await ack();
      const a = decodeAnswer(action.value);
      if (!a) return;
      await recordAnswer(deps, client, a.key, { question: a.question, value: a.value, by: body.user.id, at: slackTsToIso(action.action_ts) });
    });
  },
};
