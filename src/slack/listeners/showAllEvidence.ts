import type { BlockButtonAction } from '@slack/bolt';
import { IDS } from '../blocks/ids.js';
import { inThread } from '../inThread.js';
import type { Listener } from './types.js';

/** "Show all evidence": the full report (every cause, rule and observation) attached as Markdown. */
export const showAllEvidenceListener: Listener = {
  registers: { actions: [IDS.showAllEvidence] },
  register(app, deps) {
    app.action<BlockButtonAction>(IDS.showAllEvidence, async ({ ack, action, body, client }) => {
      await ack();
      const key = action.value ?? '';
      await inThread(deps, client, key, 'attach the full report', async (thread) => {
        if (!(await thread.attachReport(body.user.id))) await thread.reply('The full report attached above is still current: nothing changed since.');
      });
    });
  },
};
