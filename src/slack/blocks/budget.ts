import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/**
 * Block Kit limits: 50 blocks a message, 3000 characters a section, and an
 * undocumented total near 12–13k characters (msg_blocks_too_long; bolt-js
 * #2509, #2867), so a message is budgeted at 11k.
 */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionChars: 3000,
  messageChars: 11_000,
  headerChars: 150,
  buttonText: 75,
} as const;

/** Characters of text a block carries (what Slack's total ceiling counts). */
export function blockChars(block: Block): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (typeof v === 'string') return;
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') n += x.length;
        else visit(x);
      }
    }
  };
  visit(block);
  return n;
}

export function totalChars(blocks: readonly Block[]): number {
  return blocks.reduce((s, b) => s + blockChars(b), 0);
}

/** Cuts text to `max` characters at a line end where possible, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max - 2);
  return `${text.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}

/** mrkdwn sections for text of any length: split at line ends, each ≤3000 characters. */
export function sections(text: string): Block[] {
  const out: Block[] = [];
  let rest = text;
  while (rest.length > LIMITS.sectionChars) {
    let cut = rest.lastIndexOf('\n', LIMITS.sectionChars - 1);
    if (cut < LIMITS.sectionChars / 2) cut = LIMITS.sectionChars - 1;
    out.push({ type: 'section', text: { type: 'mrkdwn', text: rest.slice(0, cut) } });
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.trim()) out.push({ type: 'section', text: { type: 'mrkdwn', text: rest } });
  return out;
}

/**
 * Splits blocks into messages that each respect the block count and the
 * character budget. Order is kept; a single block over the budget gets a
 * message to itself (sections() already keeps blocks small).
 */
export function splitBlocks(blocks: readonly Block[], budget: { maxBlocks?: number; maxChars?: number } = {}): Block[][] {
  const maxBlocks = budget.maxBlocks ?? LIMITS.blocksPerMessage;
  const maxChars = budget.maxChars ?? LIMITS.messageChars;
  const out: Block[][] = [];
  let cur: Block[] = [];
  let chars = 0;
  for (const b of blocks) {
    const c = blockChars(b);
    if (cur.length && (cur.length + 1 > maxBlocks || chars + c > maxChars)) {
      out.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(b);
    chars += c;
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Shrinks the longest section and context texts until the blocks carry at
 * most `maxChars`, never cutting one below `floor` characters. Buttons and
 * headers are left whole (they are short by construction). Returns copies.
 */
export function fitChars(blocks: readonly Block[], maxChars: number, floor = 300): Block[] {
  const out = structuredClone(blocks) as Block[];
  const texts: { text: string }[] = [];
  for (const b of out) {
    if (b.type === 'section' && b.text) texts.push(b.text);
    if (b.type === 'context') for (const e of b.elements) if ('text' in e && typeof e.text === 'string') texts.push(e as { text: string });
  }
  for (let over = totalChars(out) - maxChars; over > 0; over = totalChars(out) - maxChars) {
    const longest = texts.reduce<{ text: string } | undefined>((a, t) => (t.text.length > floor && (!a || t.text.length > a.text.length) ? t : a), undefined);
    if (!longest) break;
    longest.text = clip(longest.text, Math.max(floor, longest.text.length - over));
  }
  return out;
}
