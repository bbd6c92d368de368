import type { Fact, Problem } from '../facts/schema.js';
import { readers as allReaders } from './readers/index.js';
import { unwrapperFor } from './text/unwrap.js';
import type { LineOrigin } from './text/lineOrigin.js';
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
export function feedLines(text: string, sinks: { line(t: string, n: number): void }[], maxLineLength: number, firstLine = 1, origin?: LineOrigin): number {
  let n = firstLine;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start || end < text.length) {
      let line = text.slice(start, Math.min(end, start + maxLineLength));
      if (line.endsWith('\r')) line = line.slice(0, -1);
      const at = origin ? origin.of(n) : n;
      for (const s of sinks) s.line(line, at);
    }
    n++;
    start = end + 1;
  }
  return n;
}

/**
 * One in-memory item, as bytes or as text already decoded (a paste). Each
 * form is made from the other only when a reader needs it: a 32 MiB paste
 * held as text, as bytes and as text again tripled its memory.
 */
interface Held {
  head: Buffer;
  bytes(): Buffer;
  /** The text as line readers see it: decoded from the bytes, NUL characters dropped. */
  text(): string;
  hasNul(): boolean;
}

function heldBytes(data: Buffer): Held {
  return {
    head: data.subarray(0, 512),
    bytes: () => data,
    text: () => data.toString('utf8').replaceAll('\u0000', ''),
    hasNul: () => data.includes(0),
  };
}

/** ES2024 string methods (Node 20 has them; the project's TypeScript lib is ES2023). */
interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Text as if encoded to UTF-8 and decoded again (a lone surrogate reads as U+FFFD), without making the bytes. */
function heldText(text: string): Held {
  return {
    head: Buffer.from(text.slice(0, 512), 'utf8').subarray(0, 512),
    bytes: () => Buffer.from(text, 'utf8'),
    text: () => ((text as unknown as WellFormed).isWellFormed() ? text : (text as unknown as WellFormed).toWellFormed()).replaceAll('\u0000', ''),
    hasNul: () => text.includes('\u0000'),
  };
}

/** Reads one in-memory item with every reader that accepts it. */
export function readBuffer(item: Item, data: Buffer, ctx: ReadContext, readers: readonly Reader[] = allReaders): Promise<ReadResult> {
  return readHeld(item, heldBytes(data), ctx, readers);
}

/**
 * Reads text already decoded (a paste) like readBuffer reads its UTF-8 bytes.
 * Lines pasted as a collector shows them (Docker's JSON, journalctl's, a
 * console's CSV export, kubectl's time prefix) are unwrapped first, as a file
 * of them is (archive/normalise.ts).
 */
export async function readText(item: Item, text: string, ctx: ReadContext, readers: readonly Reader[] = allReaders): Promise<ReadResult> {
  const u = unwrapperFor(text.slice(0, UNWRAP_HEAD));
  if (!u) return readHeld(item, heldText(text), ctx, readers);
  const inner = u.push(text) + u.end();
  const r = await readHeld(item, heldText(inner), ctx, readers, u.origin);
  for (const p of u.problems) r.problems.push(problemOf(item, p.code, p.message));
  return r;
}

/** Characters of a paste looked at to tell a wrapper (as archive/normalise.ts looks at a file's first 64 KiB). */
const UNWRAP_HEAD = 64 << 10;

/** A fact a structured reader read from unwrapped text, named by the line of the text as it was given. */
function fromFileLine(f: Fact, origin: LineOrigin): Fact {
  const s = f.source;
  if ((s.kind !== 'file' && s.kind !== 'pasted') || s.line === undefined) return f;
  return { ...f, source: { ...s, line: origin.lineAt(s.line) } };
}

async function readHeld(item: Item, held: Held, ctx: ReadContext, readers: readonly Reader[], origin?: LineOrigin): Promise<ReadResult> {
  const facts: Fact[] = [];
  const problems: Problem[] = [];
  const name = itemName(item);
  const head = held.head;
  const buf = bufferReadersFor(name, head, item, readers);
  if (buf.length) {
    const data = held.bytes();
    for (const r of buf) {
      try {
        const res = await r.read(data, item, ctx);
        for (const x of res.facts) facts.push(origin ? fromFileLine(x, origin) : x); // a spread of 100k+ items overflows the call stack
        for (const x of res.problems) problems.push(x);
      } catch (e) {
        problems.push(problemOf(item, 'reader.failed', `${r.id} could not read it: ${(e as Error).message}`));
      }
    }
  }
  const lines = lineReadersFor(name, head, item, readers);
  if (lines.length) {
    const sinks = lines.map((r) => r.open(item, ctx));
    if (held.hasNul()) problems.push(problemOf(item, 'text.nul', 'holds NUL bytes; read as text anyway, binary parts ignored'));
    feedLines(held.text(), sinks, ctx.limits.maxLineLength, 1, origin);
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
