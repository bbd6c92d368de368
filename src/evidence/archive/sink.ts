import { Writable } from 'node:stream';
import type { Scan } from './scan.js';

/**
 * Where bytes go as they arrive. `write` returns a promise only when the
 * sink must wait (a reader is busy, a file must drain); the common case stays
 * synchronous so thousands of small archive members cost no promise each.
 */
export interface ChunkSink {
  write(chunk: Buffer): void | Promise<void>;
  /** The data ended normally. */
  end(): void | Promise<void>;
  /** The data stopped early (truncated, corrupt, a limit): keep what was found, release what is held. Idempotent. */
  abort(): void;
}

/** Runs `next` after `r`, synchronously when `r` is not a promise. */
export function andThen(r: void | Promise<void>, next: () => void | Promise<void>): void | Promise<void> {
  return r ? r.then(next) : next();
}

export const DRAIN: ChunkSink = { write() {}, end() {}, abort() {} };

/**
 * A Writable over a ChunkSink, so the output of a decompressor can be piped
 * into it with backpressure.
 *
 * Each chunk is handled in its own macrotask, not inside the write call:
 * zlib hands out a chunk and only then starts inflating the next one, so
 * work done synchronously here would run strictly after decompression
 * instead of beside it (the threadpool inflates while this thread parses).
 * It also gives the event loop a turn between chunks.
 */
/**
 * Bytes queued between the decompressor and the parser (on each side of the
 * pipe): one inflated buffer, so zlib inflates the next while this thread
 * parses. More costs memory twice: the chunks held, and the dead ones, which
 * only a garbage collection frees. On the push-heavy bench bundle, 8 MiB queues
 * peaked at 172-180 MB RSS against 150-157 MB, and were no faster. 1 MiB, as
 * gzip.ts's buffers: a buffer waits behind less, so fewer outlive two
 * scavenges and wait for a full collection (see there).
 */
export const PIPELINE_BUFFER = 1 << 20;

export function writableOf(scan: Scan, sink: ChunkSink, chargeExpanded: boolean): Writable {
  let ended = false;
  return new Writable({
    highWaterMark: PIPELINE_BUFFER,
    write(chunk: Buffer, _enc, cb) {
      setImmediate(() => {
        scan.markYielded();
        try {
          scan.check();
          if (chargeExpanded) scan.addExpanded(chunk.length);
          const r = sink.write(chunk);
          if (r) r.then(() => cb(), cb);
          else cb();
        } catch (e) {
          cb(e as Error);
        }
      });
    },
    final(cb) {
      ended = true;
      try {
        const r = sink.end();
        if (r) r.then(() => cb(), cb);
        else cb();
      } catch (e) {
        cb(e as Error);
      }
    },
    destroy(err, cb) {
      if (!ended || err) sink.abort();
      cb(err);
    },
  });
}
