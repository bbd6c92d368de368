import { triggerFor } from '../config.js';
import { threadKey, slackTsToIso } from '../context.js';
import { contribute } from '../ingest.js';
import { messageLabel } from '../words.js';
import { mentions, messageClaim, stripMention, type Listener, type MessageLike } from './types.js';

// Subtypes that are people adding content; everything else (edits, joins, bot posts) is ignored.
const HANDLED_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * Messages in channels the bot is in: a file share starts or continues a
 * diagnosis in the message's thread (per-channel trigger: any file, or only
 * when the bot is mentioned); a plain reply in a diagnosis thread is read
 * as pasted values. Top-level chatter is left to app_mention.
 */
export const messageListener: Listener = {
  registers: { events: ['message'] },
  register(app, deps) {
    app.event('message', async ({ event, client, context }) => {
      const m = event as unknown as MessageLike;
      if (!HANDLED_SUBTYPES.has(m.subtype) || m.bot_id || (context.botUserId && m.user === context.botUserId)) return;
      const root = m.thread_ts ?? m.ts;
      const key = threadKey(m.channel, root);
      const engaged = await deps.cases.has(key);
      const addressed = mentions(m.text, context.botUserId);
      const hasFiles = m.subtype === 'file_share' && (m.files?.length ?? 0) > 0;

      if (hasFiles) {
        const trigger = m.channel_type === 'im' ? 'member' : triggerFor(deps.config, m.channel);
        if (!engaged && trigger === 'mention' && !addressed) return;
      } else if (!engaged || !m.thread_ts) {
        return; // top-level text: app_mention handles it when the bot is addressed
      }
      // The same message may also arrive as app_mention: whoever claims it first handles it.
      if (!(await deps.threads.claim(messageClaim(m)))) return;

      const text = stripMention(m.text, context.botUserId);
      const who = { ...(m.user ? { by: m.user } : {}), at: slackTsToIso(m.ts) };
      await contribute(deps, client, {
        channel: m.channel,
        threadTs: root,
        who,
        ...(hasFiles ? { files: m.files } : {}),
        ...(text ? { pastes: [{ text, label: messageLabel(m.user, m.ts) }] } : {}),
        reportNothing: addressed && !hasFiles,
        alwaysShow: hasFiles,
        meta: { startedBy: m.user ?? '', trigger: hasFiles ? 'file_share' : 'message' },
      });
    });
  },
};
