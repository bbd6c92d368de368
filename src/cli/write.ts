import { setImmediate as nextTurn } from 'node:timers/promises';

/** Bytes gathered into one write: few calls, yet no string of megabytes. */
const CHUNK = 64 * 1024;
/**
 * A piece this long is written on its own. Joined to the chunk, it would be
 * copied into one flat string before being encoded; a run of array elements
 * (renderJsonPieces) is already a flat slice of its JSON.stringify text, and
 * most of a push-heavy report.
 */
const LONG_PIECE = 16 * 1024;
/** Main-thread work between two turns of the event loop, at most. */
const SLICE_MS = 5;

interface Out {
  write(s: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
}

/**
 * Writes a report given in pieces (renderJsonPieces) as it is rendered, in
 * chunks: waits for a full pipe to drain, and lets the event loop turn
 * between slices of rendering, instead of holding it while one string of the
 * whole report is built and copied out.
 */
export async function writePieces(out: Out, pieces: Iterable<string>): Promise<void> {
  // A turn first: the report was built in the turn that ends here.
  await nextTurn();
  let chunk = '';
  let since = performance.now();
  for (const piece of pieces) {
    if (piece.length >= LONG_PIECE) {
      if (chunk) await send(out, chunk);
      chunk = '';
      await send(out, piece);
    } else {
      chunk += piece;
      if (chunk.length < CHUNK) continue;
      await send(out, chunk);
      chunk = '';
    }
    if (performance.now() - since >= SLICE_MS) {
      await nextTurn();
      since = performance.now();
    }
  }
  if (chunk) await send(out, chunk);
}

async function send(out: Out, chunk: string): Promise<void> {
  if (out.write(chunk) === false && out.once) await new Promise<void>((resolve) => out.once!('drain', resolve));
}
