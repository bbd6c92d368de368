import { FIELDS } from '../blocks/modals.js';
import { IDS } from '../blocks/ids.js';
import { recordAnswer } from '../answer.js';
import { answerError } from '../words.js';
import type { Listener } from './types.js';

/** The typed answer: checked against the question before the modal closes, then recorded. */
export const answerValueSubmitListener: Listener = {
  registers: { views: [IDS.answerModal] },
  register(app, deps) {
    app.view(IDS.answerModal, async ({ ack, view, body, client }) => {
      const meta = JSON.parse(view.private_metadata || '{}') as { key?: string; question?: string };
      const raw = (view.state.values as Record<string, Record<string, { value?: string | null }>>)[FIELDS.answer]?.[FIELDS.answer]?.value ?? '';
      const q = meta.question ? deps.cases.question(meta.question) : undefined;
      if (!meta.key || !q) {
        await ack();
        return;
      }
      const check = deps.cases.checkAnswer(q.id, raw);
      if (!check.ok) {
        // Keeps the modal open with the reason under the field.
        await ack({ response_action: 'errors', errors: { [FIELDS.answer]: answerError(check.message, q.id).slice(0, 150) } });
        return;
      }
      await ack();
      await recordAnswer(deps, client, meta.key, { question: q.id, value: raw.trim(), by: body.user.id, at: new Date().toISOString() });
    });
  },
};
