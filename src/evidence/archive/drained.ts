import { bufferReadersFor, lineReadersFor } from '../dispatch.js';
import { itemName, type Item, type Reader } from '../types.js';
import { sniff } from './sniff.js';
import { mayHoldValues } from './valuesMember.js';

/**
 * Whether Member.choose (member.ts) drains a member of an archive (not the input itself)
 * unread: it is no archive, no reader wants it, and it cannot be values a
 * person saved. Decided, as it decides, from its name, size and first
 * SNIFF_BYTES bytes alone, and without side effects: the tar lookahead
 * (lookahead.ts) asks it ahead of the parser, to pass over such a member's
 * data before it is handed on. Member.choose (member.ts) must drain every
 * member this says so of: keep the two in step.
 */
export function drainedUnread(readers: readonly Reader[], item: Item, size: number, head: Buffer): boolean {
  if (sniff(head) !== 'other') return false;
  const name = itemName(item);
  return !bufferReadersFor(name, head, item, readers).length && !lineReadersFor(name, head, item, readers).length && !mayHoldValues(item, size);
}
