import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { readBuffer } from './dispatch.js';
import { problemOf, type ReadContext, type ReadResult } from './types.js';

/**
 * Entry points every caller uses (CLI, Slack, library). First, simple
 * versions; the streaming archive readers replace the bodies, not the
 * signatures.
 */
export async function readPath(path: string, ctx: ReadContext): Promise<ReadResult> {
  const item = { input: path };
  try {
    const st = await stat(path);
    if (st.size > ctx.limits.maxMemberBytes) return { facts: [], problems: [problemOf(item, 'input.too_large', `is ${st.size} bytes, over the limit`)] };
    return await readBuffer(item, await readFile(path), ctx);
  } catch (e) {
    return { facts: [], problems: [problemOf(item, 'input.unreadable', (e as Error).message)] };
  }
}

/** A download (Slack file) as a stream, never held whole in memory for archives. */
export async function readStream(name: string, stream: Readable, ctx: ReadContext, size?: number): Promise<ReadResult> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return readBuffer({ input: name, ...(size !== undefined ? { size } : {}) }, Buffer.concat(chunks), ctx);
}

/** Text a person pasted (Slack message, --paste); facts get a "pasted" source. */
export async function readPaste(text: string, label: string, ctx: ReadContext): Promise<ReadResult> {
  return readBuffer({ input: label, pasted: true }, Buffer.from(text, 'utf8'), ctx);
}
