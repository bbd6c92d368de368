import type { Readable } from 'node:stream';
import { scanPath, scanStream } from './archive/index.js';
import { foldFacts } from '../facts/fold.js';
import { readBuffer } from './dispatch.js';
import type { ReadContext, ReadResult } from './types.js';

/**
 * Entry points every caller uses (CLI, Slack, library). Files, folders and
 * archives (tar, tar.gz, zip, recognised by their first bytes, not their
 * names) are streamed: nothing is extracted to disk, members no reader wants
 * are drained, and every limit in ctx.limits is enforced. Bad input becomes
 * problems; these never throw for it. What they return is folded (facts/fold.ts):
 * a log's thousand lines of one kind are one fact with a count, losing nothing.
 */
export async function readPath(path: string, ctx: ReadContext): Promise<ReadResult> {
  const { facts, problems } = await scanPath(path, ctx);
  return { facts: foldFacts(facts), problems };
}

/** A download (Slack file) as a stream, never held whole in memory for archives. */
export async function readStream(name: string, stream: Readable, ctx: ReadContext, size?: number): Promise<ReadResult> {
  const { facts, problems } = await scanStream(name, stream, ctx, size);
  return { facts: foldFacts(facts), problems };
}

/** Text a person pasted (Slack message, --paste); facts get a "pasted" source. */
export async function readPaste(text: string, label: string, ctx: ReadContext): Promise<ReadResult> {
  const { facts, problems } = await readBuffer({ input: label, pasted: true }, Buffer.from(text, 'utf8'), ctx);
  return { facts: foldFacts(facts), problems };
}
