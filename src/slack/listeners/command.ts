import { parseKeyValues } from '../../case/index.js';
import { problemKinds, startModal } from '../blocks/modals.js';
import { IDS } from '../blocks/ids.js';
import { HELP_TEXT } from '../help.js';
import { contribute } from '../ingest.js';
import { rootFailureText } from '../rootFailure.js';
import type { Listener } from './types.js';

/**
 * /pushcheck help | /pushcheck topic=… magic=… token=… | /pushcheck (modal).
 * Slash commands cannot run in threads, so a diagnosis from values posts a
 * root message in the channel and continues in its thread.
 */
export const commandListener: Listener = {
  registers: { commands: [IDS.command] },
  register(app, deps) {
    app.command(IDS.command, async ({ command, ack, client, respond }) => {
      const text = command.text.trim();
      if (/^help\b/i.test(text)) {
        await ack({ response_type: 'ephemeral', text: HELP_TEXT });
        return;
      }
      if (!text) {
        await ack();
        await client.views.open({ trigger_id: command.trigger_id, view: startModal(command.channel_id, problemKinds(deps)) });
        return;
      }
      await ack();
      const { values, rest } = parseKeyValues(text);
      let root: string;
      try {
        const posted = await client.chat.postMessage({
          channel: command.channel_id,
          text: `:mag: pushcheck diagnosis started by <@${command.user_id}> with the MDM server's values. It continues in this thread.`,
        });
        root = posted.ts!;
      } catch (e) {
        deps.logger.warn({ err: e }, 'could not post the thread root');
        await respond({ response_type: 'ephemeral', text: rootFailureText(command.channel_id, e) }).catch((err: unknown) =>
          deps.logger.error({ err }, 'could not tell the person that the thread root failed'),
        );
        return;
      }
      await contribute(deps, client, {
        channel: command.channel_id,
        threadTs: root,
        who: { by: command.user_id, at: new Date().toISOString() },
        ...(Object.keys(values).length ? { serverValues: { values, label: '/pushcheck' } } : {}),
        ...(rest ? { pastes: [{ text: rest, label: '/pushcheck text' }] } : {}),
        reportNothing: true,
        alwaysShow: true,
        meta: { startedBy: command.user_id, trigger: 'command' },
      });
    });
  },
};
