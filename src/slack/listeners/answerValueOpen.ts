import type { BlockButtonAction } from '@slack/bolt';
import { answerModal } from '../blocks/modals.js';
import { decodeAnswer, IDS } from '../blocks/ids.js';
import type { Listener } from './types.js';

/** "Answer…" on a question that takes a typed value or a time: open the modal. */
export const answerValueOpenListener: Listener = {
  registers: { actions: [IDS.answerModalButton] },
  register(app, deps) {
    app.action<BlockButtonAction>(IDS.answerModalButton, async ({ ack, action, body, client }) => {
      await ack();
      const a = decodeAnswer(action.value);
      const q = a && deps.cases.question(a.question);
      if (!a || !q) return;
      await client.views.open({ trigger_id: body.trigger_id, view: answerModal(a.key, q) });
    });
  },
};
