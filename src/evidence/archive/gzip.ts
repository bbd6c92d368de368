import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { constants, createGunzip, type Gunzip, type ZlibOptions } from 'node:zlib';
import { ScanStop, type Scan } from './scan.js';
import { PIPELINE_BUFFER, writableOf, type ChunkSink } from './sink.js';

/**
 * Output buffers of 1 MiB, as the bare-gunzip reference of the bench: the
 * default 16 KiB makes gunzip about three times slower. Each buffer inflated
 * costs a turn of the main thread (zlib's callback starts the next one).
 * Not larger: each is a fresh buffer, and one still queued or being parsed when
 * two scavenges pass is promoted, its memory then counted against the old
 * generation's limit until a full collection frees it. On the push-heavy bench
 * bundle, 2 MiB buffers (and 2 MiB queues) made 2-14 full collections a run
 * (median 6 of 9 runs); 1 MiB made 1-2 (8 runs), with as many scavenges and
 * main-thread CPU no higher (median 1.52 s against 1.57 s).
 */
const GUNZIP_CHUNK = 1 << 20;

/**
 * Decompresses gzip data into `inner` as it arrives. A gzip error (truncated,
 * corrupt) becomes a problem naming the file and the member being read;
 * what the inner readers found until then is kept.
 */
export class GunzipSink implements ChunkSink {
  private readonly gunzip: Gunzip;
  private readonly out: Writable;
  private readonly done: Promise<void>;
  private failure: Error | undefined;
  private aborted = false;

  constructor(
    private readonly scan: Scan,
    private readonly inner: ChunkSink,
    /** The archive member holding the gzip data, when it is nested. */
    private readonly member: string | undefined,
  ) {
    // zlib streams take Transform options too, though @types/node's ZlibOptions does not list them.
    this.gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK, readableHighWaterMark: PIPELINE_BUFFER } as ZlibOptions);
    this.out = writableOf(scan, inner, true);
    this.done = pipeline(this.gunzip, this.out).catch((e: Error) => {
      this.failure ??= e;
    });
  }

  write(chunk: Buffer): void | Promise<void> {
    if (this.failure || this.aborted) return;
    if (!this.gunzip.write(chunk)) return Promise.race([once(this.gunzip, 'drain').then(() => undefined), this.done]);
  }

  async end(): Promise<void> {
    if (!this.aborted && !this.failure) {
      await this.handOverEverything();
      if (!this.aborted && !this.failure) this.gunzip.end();
    }
    await this.done;
    if (this.failure) this.report(this.failure);
  }

  /**
   * Inflates all the input holds and waits until the readers took it, before
   * the end is declared. Data cut short fails only at the end, and zlib then
   * drops the inflated bytes still queued: how much of the last member was
   * read would depend on how busy the readers were (a download and the same
   * file from disk would disagree). A sync flush yields every byte the input
   * holds without failing.
   */
  private async handOverEverything(): Promise<void> {
    await Promise.race([new Promise<void>((resolve) => this.gunzip.flush(constants.Z_SYNC_FLUSH, () => resolve())), this.done]);
    while (!this.aborted && !this.failure && (this.gunzip.readableLength > 0 || this.out.writableLength > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.gunzip.destroy();
    this.inner.abort();
  }

  private report(e: Error): void {
    if (e instanceof ScanStop) throw e;
    const stop = this.scan.stopped;
    if (stop) throw stop;
    const code = (e as NodeJS.ErrnoException).code;
    const where = this.member ? '' : ` after ${this.scan.inputBytes} bytes`;
    const inside = this.scan.current && this.scan.current !== this.member ? `, inside ${this.scan.current}` : '';
    this.inner.abort();
    if (code === 'Z_BUF_ERROR') {
      this.scan.problem(
        'archive.truncated',
        `gzip data ends early${where}${inside} (the file is cut short); what was read before that point is kept`,
        this.member,
      );
    } else {
      this.scan.problem('archive.corrupt', `gzip data is damaged${where}${inside} (${e.message}); what was read before that point is kept`, this.member);
    }
  }
}
