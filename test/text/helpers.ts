import { fileURLToPath } from 'node:url';
import { readBuffer } from '../../src/evidence/dispatch.js';
import { textReaders } from '../../src/evidence/text/index.js';
import { DEFAULT_LIMITS, type Item, type ReadContext } from '../../src/evidence/types.js';
import type { Fact } from '../../src/facts/schema.js';

export const ctx: ReadContext = { limits: DEFAULT_LIMITS };

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/text/${name}`, import.meta.url));

/** Runs only the text readers over some text, as a file called `name` or as a paste. */
export async function scan(text: string, opts: { name?: string; pasted?: boolean } = {}) {
  const item: Item = opts.pasted ? { input: 'pasted text', pasted: true } : { input: opts.name ?? 'device.log' };
  return readBuffer(item, Buffer.from(text, 'utf8'), ctx, textReaders);
}

export const named = (facts: Fact[], name: string): Fact[] => facts.filter((f) => f.name === name);
export const one = (facts: Fact[], name: string): Fact => {
  const found = named(facts, name);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}: ${JSON.stringify(facts.map((f) => f.name))}`);
  return found[0];
};
