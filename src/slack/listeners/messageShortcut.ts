import type { MessageShortcut } from '@slack/bolt';
import { IDS } from '../blocks/ids.js';
import { slackTsToIso } from '../context.js';
import { contribute } from '../ingest.js';
import type { SlackFile } from '../download.js';
import { messageLabel } from '../words.js';
import type { Listener } from './types.js';

/** "Diagnose push issue" on an existing message: its text and files, diagnosed in its thread. */
export const messageShortcutListener: Listener = {
  registers: { shortcuts: [IDS.messageShortcut] },
  register(app, deps) {
    app.shortcut<MessageShortcut>(IDS.messageShortcut, async ({ ack, shortcut, client }) => {
      await ack();
      const m = shortcut.message as { ts: string; thread_ts?: string; text?: string; user?: string; files?: SlackFile[] };
      const channel = shortcut.channel.id;
      const root = m.thread_ts ?? m.ts;
      await contribute(deps, client, {
        channel,
        threadTs: root,
        who: { by: shortcut.user.id, at: slackTsToIso(shortcut.action_ts) },
        ...(m.files?.length ? { files: m.files } : {}),
        ...(m.text?.trim() ? { pastes: [{ text: m.text, label: messageLabel(m.user, m.ts) }] } : {}),
        reportNothing: true,
        alwaysShow: true,
        meta: { startedBy: shortcut.user.id, trigger: 'shortcut' },
      });
    });
  },
};
