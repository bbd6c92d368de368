import type { BlockButtonAction } from '@slack/bolt';
import { TIMELINE_FILE_NAME } from '../../case/index.js';
import { IDS } from '../blocks/ids.js';
import { esc } from '../blocks/report.js';
import { splitKey } from '../context.js';
import { inThread } from '../inThread.js';
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
      const { channel, threadTs } = splitKey(key);
      await inThread(deps, client, key, 'prepare the Feedback draft', async (thread) => {
        // Apple needs the real values, so the draft is the full one; it goes in a file, not the channel's text.
        const pkg = await deps.views.feedback(key, { redact: false });
        if (!pkg) {
          await thread.reply('No Feedback draft yet: not every known cause is ruled out. The summary above shows what is still open.');
          return;
        }
        const polishNote = pkg.polished ? ' (wording polished by the configured model; every value was checked against the evidence)' : '';
        await client.files.uploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          filename: 'apple-feedback-draft.txt',
          title: 'Apple Feedback draft',
          content: pkg.draft,
          initial_comment: `<@${body.user.id}> asked for the Apple Feedback draft${polishNote}. Review it, then file it at https://feedbackassistant.apple.com.`,
        });
        if (pkg.timeline)
          await client.files.uploadV2({
            channel_id: channel,
            thread_ts: threadTs,
            filename: TIMELINE_FILE_NAME,
            title: 'Push timeline (UTC) for the Feedback report',
            file: pkg.timeline,
          });
        const notes: string[] = [];
        if (pkg.missing.length) notes.push(`*Before filing, gather:*\n${pkg.missing.map((m) => `☐ ${esc(m)}`).join('\n')}`);
        if (pkg.reason && process.env.OPENAI_API_KEY) notes.push(`_The template draft was used: ${esc(pkg.reason)}_`);
        if (notes.length) await thread.reply(notes.join('\n'));
      });
    });
  },
};
