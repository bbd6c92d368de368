import type { Block } from '../../src/slack/blocks/budget.js';

type Text = { type: string; text: string };
type Element = { type: string; text?: Text | string; action_id?: string; style?: string };

/**
 * A Slack message as a reviewer would see it, in plain text: the header,
 * sections, grey context lines in parentheses, buttons in [brackets].
 * Screenshot-free, so a change to what Slack shows is a readable diff.
 */
export function slackText(message: { text: string; blocks: readonly Block[] }): string {
  const out: string[] = [`notification: ${message.text}`, ''];
  for (const b of message.blocks as unknown as { type: string; text?: Text; elements?: Element[]; fields?: Text[] }[]) {
    switch (b.type) {
      case 'header':
        out.push(`# ${b.text!.text}`);
        break;
      case 'section':
        out.push(b.text!.text, ...(b.fields ?? []).map((f) => f.text));
        break;
      case 'context':
        out.push(...(b.elements ?? []).map((e) => `(${typeof e.text === 'string' ? e.text : (e.text?.text ?? '')})`));
        break;
      case 'actions':
        out.push((b.elements ?? []).map((e) => `[${typeof e.text === 'object' ? e.text.text : e.action_id}]${e.style === 'primary' ? '*' : ''}`).join(' '));
        break;
      case 'divider':
        out.push('────────');
        break;
      default:
        out.push(`<${b.type}>`);
    }
  }
  return `${out.join('\n')}\n`;
}
