import type { types } from '@slack/bolt';
import type { Question } from '../../engine/ruleSchema.js';
import { clip } from './budget.js';
import { IDS } from './ids.js';

/** Block and action ids inside the modals, read back on submission. */
export const FIELDS = {
  topic: 'topic',
  magic: 'magic',
  token: 'token',
  paste: 'paste',
  kind: 'kind',
  answer: 'answer',
} as const;

const KINDS = [
  { value: 'mdm', label: 'MDM push (device does not check in)' },
  { value: 'apns', label: 'App push notifications' },
  { value: 'notnow', label: 'MDM commands answered NotNow' },
  { value: 'securemail', label: 'Citrix Secure Mail push' },
];

function input(id: string, label: string, opts: { multiline?: boolean; placeholder?: string; hint?: string; optional?: boolean } = {}): types.InputBlock {
  return {
    type: 'input',
    block_id: id,
    optional: opts.optional ?? true,
    label: { type: 'plain_text', text: label },
    ...(opts.hint ? { hint: { type: 'plain_text', text: opts.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: id,
      ...(opts.multiline ? { multiline: true } : {}),
      ...(opts.placeholder ? { placeholder: { type: 'plain_text', text: opts.placeholder } } : {}),
    },
  };
}

/** Bare /pushcheck: paste the server's values and pick the kind of problem. */
export function startModal(channel: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: IDS.startModal,
    private_metadata: JSON.stringify({ channel }),
    title: { type: 'plain_text', text: 'pushcheck' },
    submit: { type: 'plain_text', text: 'Diagnose' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: FIELDS.kind,
        optional: true,
        label: { type: 'plain_text', text: 'What kind of push problem?' },
        element: {
          type: 'static_select',
          action_id: FIELDS.kind,
          placeholder: { type: 'plain_text', text: 'Pick one (or let the evidence tell)' },
          options: KINDS.map((k) => ({ value: k.value, text: { type: 'plain_text', text: k.label } })),
        },
      },
      input(FIELDS.topic, "Server's push topic", { placeholder: 'com.apple.mgmt.External.…' }),
      input(FIELDS.magic, "Server's PushMagic", { placeholder: 'the PushMagic the server sends' }),
      input(FIELDS.token, "Server's push token", { placeholder: '64 hex digits, <…> or base64' }),
      input(FIELDS.paste, 'Anything else (log lines, plutil output)', { multiline: true, hint: 'Attach a sysdiagnose in the thread afterwards.' }),
    ],
  };
}

/** A typed answer (a value or a time) for one question. */
export function answerModal(key: string, q: Question): types.ModalView {
  return {
    type: 'modal',
    callback_id: IDS.answerModal,
    private_metadata: JSON.stringify({ key, question: q.id }),
    title: { type: 'plain_text', text: 'Answer' },
    submit: { type: 'plain_text', text: 'Answer' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: FIELDS.answer,
        label: { type: 'plain_text', text: clip(q.text, 2000) },
        ...(q.help ? { hint: { type: 'plain_text', text: clip(q.help, 2000) } } : {}),
        element: {
          type: 'plain_text_input',
          action_id: FIELDS.answer,
          ...(q.type === 'time' ? { placeholder: { type: 'plain_text', text: '2026-11-20 14:05 UTC' } } : {}),
        },
      },
    ],
  };
}
