import { FIELDS } from '../blocks/modals.js';
import { IDS } from '../blocks/ids.js';
import { contribute } from '../ingest.js';
import { rootFailureText } from '../rootFailure.js';
import type { Listener } from './types.js';

type ViewValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

/** The bare-/pushcheck modal: root message in the channel, then the diagnosis in its thread. */
export const startModalListener: Listener = {
  registers: { views: [IDS.startModal] },
  register(app, deps) {
    app.view(IDS.startModal, async ({ ack, view, body, client }) => {
      await ack();
      const v = view.state.values as ViewValues;
      const text = (id: string) => v[id]?.[id]?.value?.trim() || undefined;
      const kind = v[FIELDS.kind]?.[FIELDS.kind]?.selected_option?.value;
      const { channel } = JSON.parse(view.private_metadata || '{}') as { channel?: string };
      if (!channel) return;
      const user = body.user.id;
      let root: string;
      try {
        const posted = await client.chat.postMessage({
          channel,
          text: `:mag: pushcheck diagnosis started by <@${user}>. It continues in this thread.`,
        });
        root = posted.ts!;
      } catch (e) {
        deps.logger.warn({ err: e }, 'could not post the thread root from the modal');
        // A view submission has no response_url: tell the person in a direct message (the Messages tab is on).
        await client.chat
          .postMessage({ channel: user, text: rootFailureText(channel, e) })
          .catch((err: unknown) => deps.logger.error({ err }, 'could not tell the person that the thread root failed'));
        return;
      }
      const values = {
        ...(text(FIELDS.topic) ? { topic: text(FIELDS.topic) } : {}),
        ...(text(FIELDS.magic) ? { magic: text(FIELDS.magic) } : {}),
        ...(text(FIELDS.token) ? { token: text(FIELDS.token) } : {}),
      };
      const at = new Date().toISOString();
      await contribute(deps, client, {
        channel,
        threadTs: root,
        who: { by: user, at },
        ...(Object.keys(values).length ? { serverValues: { values, label: 'the /pushcheck form' } } : {}),
        ...(text(FIELDS.paste) ? { pastes: [{ text: text(FIELDS.paste)!, label: 'the /pushcheck form (pasted text)' }] } : {}),
        ...(kind ? { answers: [{ question: 'q.case.domain', value: kind, by: user, at }] } : {}),
        // Typed into the form on purpose: a paste with nothing in it is said so.
        reportNothing: true,
        alwaysShow: true,
        meta: { startedBy: user, trigger: 'modal' },
      });
    });
  },
};
