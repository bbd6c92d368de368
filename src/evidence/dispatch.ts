import type { Fact, Problem } from '../facts/schema.js';
import { readers as allReaders } from './readers/index.js';
import { itemName, problemOf, type BufferReader, type Item, type LineReader, type ReadContext, type ReadResult, type Reader } from './types.js';

export function bufferReadersFor(name: string, head: Buffer, item: Item, readers: readonly Reader[] = allReaders): BufferReader[] {
  return readers.filter((r): r is BufferReader => r.kind === 'buffer' && r.accepts(name, head, item));
}

export function lineReadersFor(name: string, head: Buffer, item: Item, readers: readonly Reader[] = allReaders): LineReader[] {
  return readers.filter((r): r is LineReader => r.kind === 'lines' && r.accepts(name, head, item));
}

/**
 * Splits text into lines for line readers, keeping at most maxLineLength
 * characters of a line so one 50 MB line cannot exhaust memory.
 */
export function feedLines(text: string, sinks: { line(t: string, n: number): void }[], maxLineLength: number, firstLine = 1): number {
  let n = firstLine;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start || end < text.length) {
      let line = text.slice(start, Math.min(end, start + maxLineLength));
      if (line.endsWith('\r')) line = line.slice(0, -1);
      for (const s of sinks) s.line(line, n);
    }
    n++;
    start = end + 1;
  }
  return n;
}

/** Reads one in-memory item with every reader that accepts it. */
export async function readBuffer(item: Item, data: Buffer, ctx: ReadContext, readers: readonly Reader[] = allReaders): Promise<ReadResult> {
  const facts: Fact[] = [];
  const problems: Problem[] = [];
  const name = itemName(item);
  const head = data.subarray(0, 512);
  const buf = bufferReadersFor(name, head, item, readers);
  for (const r of buf) {
    try {
      const res = await r.read(data, item, ctx);
      for (const x of res.facts) facts.push(x); // a spread of 100k+ items overflows the call stack
      for (const x of res.problems) problems.push(x);
    } catch (e) {
      problems.push(problemOf(item, 'reader.failed', `${r.id} could not read it: ${(e as Error).message}`));
    }
  }
  const lines = lineReadersFor(name, head, item, readers);
  if (lines.length) {
    const sinks = lines.map((r) => r.open(item, ctx));
    if (data.includes(0)) problems.push(problemOf(item, 'text.nul', 'holds NUL bytes; read as text anyway, binary parts ignored'));
    feedLines(data.toString('utf8').replaceAll('\u0000', ''), sinks, ctx.limits.maxLineLength);
    for (const s of sinks) {
      const res = s.end();
      for (const x of res.facts) facts.push(x); // a spread of 100k+ items overflows the call stack
      for (const x of res.problems) problems.push(x);
    }
  }
  if (!buf.length && !lines.length)
    problems.push(problemOf(item, 'input.unrecognised', 'is not a kind of evidence pushcheck reads (plist, profile, log, certificate, archive…)'));
  return { facts, problems };
}
