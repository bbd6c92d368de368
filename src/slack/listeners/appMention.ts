import { slackTsToIso } from '../context.js';
import { HELP_TEXT } from '../help.js';
import { contribute } from '../ingest.js';
import { messageLabel } from '../words.js';
import { messageClaim, stripMention, type Listener, type MessageLike } from './types.js';

/** "@pushcheck <pasted values>" anywhere: start or continue the diagnosis in that message's thread. */
export const appMentionListener: Listener = {
  registers: { events: ['app_mention'] },
  register(app, deps) {
    app.event('app_mention', async ({ event, client, context }) => {
      const m = event as unknown as MessageLike;
      if (m.bot_id) return;
      if ((m.files?.length ?? 0) > 0) return; // the file_share message event carries the files
      if (!(await deps.threads.claim(messageClaim(m)))) return;
      const root = m.thread_ts ?? m.ts;
      const text = stripMention(m.text, context.botUserId);
      if (!text || /^help\b/i.test(text)) {
        await client.chat.postMessage({ channel: m.channel, thread_ts: root, text: HELP_TEXT });
        return;
      }
      await contribute(deps, client, {
        channel: m.channel,
        threadTs: root,
        who: { ...(m.user ? { by: m.user } : {}), at: slackTsToIso(m.ts) },
        pastes: [{ text, label: messageLabel(m.user, m.ts) }],
        reportNothing: true,
        meta: { startedBy: m.user ?? '', trigger: 'app_mention' },
      });
    });
  },
};
