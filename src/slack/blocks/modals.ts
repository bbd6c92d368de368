import type { types } from '@slack/bolt';
import type { QuestionReport } from '../../report/types.js';
import type { SlackDeps } from '../context.js';
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

/** The kinds of push problem the form offers: the choices of the rules' q.case.domain (rules/), without "don't know". */
export function problemKinds(deps: Pick<SlackDeps, 'cases'>): { value: string; label: string }[] {
  return (deps.cases.question('q.case.domain')?.answers ?? []).filter((a) => a.value !== 'unknown');
}

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
export function startModal(channel: string, kinds: readonly { value: string; label: string }[]): types.ModalView {
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
          options: kinds.map((k) => ({ value: k.value, text: { type: 'plain_text', text: k.label } })),
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
export function answerModal(key: string, q: QuestionReport): types.ModalView {
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
