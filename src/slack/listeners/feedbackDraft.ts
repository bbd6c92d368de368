import type { BlockButtonAction } from '@slack/bolt';
import { IDS } from '../blocks/ids.js';
import { esc } from '../blocks/report.js';
import { splitKey } from '../context.js';
import { Thread } from '../thread.js';
import type { Listener } from './types.js';

/**
 * "Draft Apple Feedback": the draft as a text snippet in the thread, and a
 * checklist of what Apple asks for that the evidence does not hold yet.
 * (Kept in its own file: escalation may add model polish and a timeline image.)
 */
export const feedbackDraftListener: Listener = {
  registers: { actions: [IDS.feedbackDraft] },
  register(app, deps) {
    app.action<BlockButtonAction>(IDS.feedbackDraft, async ({ ack, action, client, body }) => {
      await ack();
      const key = action.value ?? '';
      if (!deps.sessions.has(key)) return;
      const { channel, threadTs } = splitKey(key);
      await deps.queue.run(key, async () => {
        const thread = new Thread(deps, client, key, channel, threadTs);
        try {
          const { report } = deps.sessions.current(key);
          if (!report.escalation) {
            await thread.reply('No Feedback draft yet: not every known cause is ruled out. The summary above shows what is still open.');
            return;
          }
          await client.files.uploadV2({
            channel_id: channel,
            thread_ts: threadTs,
            filename: 'apple-feedback-draft.txt',
            title: 'Apple Feedback draft',
            content: report.escalation.feedbackDraft,
            initial_comment: `<@${body.user.id}> asked for the Apple Feedback draft. Review it, then file it at https://feedbackassistant.apple.com.`,
          });
          const missing = report.escalation.missing;
          if (missing.length) await thread.reply(`*Before filing, gather:*\n${missing.map((m) => `☐ ${esc(m)}`).join('\n')}`);
        } catch (e) {
          await thread.fail('prepare the Feedback draft', e);
        }
      });
    });
  },
};
