import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FactFolder } from '../facts/fold.js';
import type { Fact } from '../facts/schema.js';
import { scanPath, scanStream } from './archive/index.js';
import { readText } from './dispatch.js';
import type { ReadContext, ReadResult } from './types.js';

export { readPasteFile, readPasteStream } from './pasteSource.js';

/**
 * Entry points every caller uses (CLI, Slack, library). Files, folders and
 * archives (tar, tar.gz, zip, recognised by their first bytes, not their
 * names) are streamed: nothing is extracted to disk, members no reader wants
 * are drained, and every limit in ctx.limits is enforced. Bad input becomes
 * problems; these never throw for it. What they return is folded (facts/fold.ts):
 * a log's thousand lines of one kind are one fact with a count, losing nothing.
 */
export async function readPath(path: string, ctx: ReadContext): Promise<ReadResult> {
  const folder = new FactFolder();
  const { problems } = await scanPath(path, ctx, undefined, folder);
  return { facts: await results(folder, performance.now()), problems };
}

/** A download (Slack file) as a stream, never held whole in memory for archives. */
export async function readStream(name: string, stream: Readable, ctx: ReadContext, size?: number): Promise<ReadResult> {
  const folder = new FactFolder();
  const { problems } = await scanStream(name, stream, ctx, size, undefined, folder);
  return { facts: await results(folder, performance.now()), problems };
}

/** Text a person pasted (Slack message, --paste); facts get a "pasted" source. */
export async function readPaste(text: string, label: string, ctx: ReadContext): Promise<ReadResult> {
  const { facts, problems } = await readText({ input: label, pasted: true }, text, ctx);
  return { facts: await folded(facts), problems };
}

/** Longest stretch of folding between two visits to the event loop (the bot keeps answering meanwhile). */
const SLICE_MS = 10;

/**
 * What is kept of an input: its facts folded (facts/fold.ts), in slices short
 * enough for the bot to stay responsive. (Files and archives are folded as
 * they are scanned, see archive/scan.ts.)
 */
async function folded(facts: readonly Fact[]): Promise<Fact[]> {
  const folder = new FactFolder();
  let since = performance.now();
  for (let i = 0; i < facts.length; i++) {
    folder.add(facts[i]);
    if ((i & 255) === 255 && performance.now() - since > SLICE_MS) {
      await nextTurn();
      since = performance.now();
    }
  }
  return results(folder, since);
}

/** Each group's folded fact, in slices: a push-heavy bundle's groups took a blocking 30 ms at once. */
async function results(folder: FactFolder, since: number): Promise<Fact[]> {
  const out: Fact[] = [];
  for (const o of folder.order) {
    out.push(FactFolder.result(o));
    if (performance.now() - since > SLICE_MS) {
      await nextTurn();
      since = performance.now();
    }
  }
  return out;
}
