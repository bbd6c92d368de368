import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, type BufferReader, type ByteSink, type Item } from '../types.js';
import type { LineFeeder } from './lineFeeder.js';
import type { Scan } from './scan.js';
import type { ChunkSink } from './sink.js';

/** A structured reader taking a member's bytes as they arrive; without a sink once it failed. */
interface Stream {
  id: string;
  sink?: ByteSink;
  error?: unknown;
}

function fail(s: Stream, error: unknown): void {
  s.sink = undefined;
  s.error = error;
}

/**
 * A member some reader wants: buffered (up to maxMemberBytes) for structured
 * readers, streamed line by line to text readers, or both. When every
 * structured reader of the member takes its bytes as they arrive (a large
 * table's), they get them so instead, and the member is never held whole.
 */
export class ReadSink implements ChunkSink {
  private data: Buffer | undefined;
  private parts: Buffer[] | undefined;
  /** The structured readers taking the bytes as they arrive, while they still read. */
  private streams: Stream[] | undefined;
  private length = 0;
  /** Bytes the member may have: its stated size, else the limit for one structured file. */
  private readonly room: number;
  private tooLarge = false;
  private linesOpen: boolean;
  private finished = false;

  constructor(
    private readonly scan: Scan,
    private readonly item: Item,
    private readonly buffers: BufferReader[],
    private readonly lines: LineFeeder | undefined,
    size: number | undefined,
  ) {
    this.linesOpen = !!lines;
    this.room = size ?? scan.limits.maxMemberBytes;
    if (buffers.length) {
      scan.counts.buffered++;
      const max = scan.limits.maxMemberBytes;
      if (size !== undefined && size > max) this.refuseBuffer(size);
      else if (buffers.every((r) => r.stream)) this.streams = this.openStreams();
      else if (size !== undefined) this.data = Buffer.allocUnsafe(size);
      else this.parts = [];
    }
    if (lines) scan.counts.lines++;
  }

  write(chunk: Buffer): void | Promise<void> {
    let streamed: void | Promise<void> = undefined;
    if (this.buffers.length && !this.tooLarge) {
      if (this.length + chunk.length > this.room) {
        this.refuseBuffer(this.length + chunk.length);
      } else if (this.streams) {
        streamed = this.stream(chunk);
      } else if (this.data) {
        chunk.copy(this.data, this.length);
      } else {
        this.parts!.push(Buffer.from(chunk));
      }
      this.length += chunk.length;
    }
    if (!this.linesOpen) return streamed;
    // The line feeder reads the chunk after the streams are done with it, as it would after a copy.
    return streamed ? streamed.then(() => this.writeLines(chunk)) : this.writeLines(chunk);
  }

  private writeLines(chunk: Buffer): void | Promise<void> {
    if (!this.linesOpen) return;
    const r = this.lines!.write(chunk);
    if (r === false) this.linesOpen = false;
    else if (r !== true)
      return r.then((open) => {
        if (!open) this.linesOpen = false;
      });
  }

  private openStreams(): Stream[] {
    return this.buffers.map((r) => {
      try {
        return { id: r.id, sink: r.stream!(this.item, { limits: this.scan.limits }) };
      } catch (error) {
        return { id: r.id, error };
      }
    });
  }

  /**
   * Hands a chunk to each streaming reader in turn. One that fails reads no
   * further and gives nothing, its failure told at the end, as a `read` that
   * threw would be.
   */
  private stream(chunk: Buffer, from = 0): void | Promise<void> {
    // Gone once the member was cut short or refused while a reader was still busy with a chunk.
    const streams = this.streams;
    if (!streams) return;
    for (let i = from; i < streams.length; i++) {
      const s = streams[i]!;
      if (!s.sink) continue;
      let r: void | Promise<void>;
      try {
        r = s.sink.write(chunk);
      } catch (error) {
        fail(s, error);
        continue;
      }
      if (r)
        return r.then(
          () => this.stream(chunk, i + 1),
          (error: unknown) => {
            fail(s, error);
            return this.stream(chunk, i + 1);
          },
        );
    }
  }

  private failed(id: string, e: unknown): void {
    this.scan.problem('reader.failed', `${id} could not read it: ${(e as Error).message}`, this.item.member);
  }

  async end(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.lines) this.keep(this.lines.end());
    if (!this.buffers.length || this.tooLarge) return;
    if (this.streams) return this.endStreams(this.streams);
    const data = this.data ? this.data.subarray(0, this.length) : Buffer.concat(this.parts!);
    this.data = undefined;
    this.parts = undefined;
    for (const r of this.buffers) {
      try {
        this.keep(await r.read(data, this.item, { limits: this.scan.limits }));
      } catch (e) {
        this.failed(r.id, e);
      }
      if (this.scan.shouldYield()) await this.scan.yieldNow();
    }
  }

  private async endStreams(streams: Stream[]): Promise<void> {
    this.streams = undefined;
    for (const s of streams) {
      try {
        if (s.sink) this.keep(await s.sink.end());
        else this.failed(s.id, s.error);
      } catch (e) {
        this.failed(s.id, e);
      }
      if (this.scan.shouldYield()) await this.scan.yieldNow();
    }
  }

  abort(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.lines) this.keep(this.lines.end());
    if (this.buffers.length && !this.tooLarge) {
      this.scan.problem('member.incomplete', 'was cut short, so it was not read as a whole', this.item.member);
    }
    this.data = undefined;
    this.parts = undefined;
    this.streams = undefined;
  }

  private refuseBuffer(size: number): void {
    this.tooLarge = true;
    this.data = undefined;
    this.parts = undefined;
    this.streams = undefined;
    const p = problemOf(
      this.item,
      'member.too_large',
      `is ${size} bytes or more, over the limit of ${this.scan.limits.maxMemberBytes} bytes for one structured file; not read`,
    );
    this.scan.problem(p.code, p.message, p.member);
  }

  private keep(res: { facts: Fact[]; problems: Problem[] }): void {
    for (const f of res.facts) this.scan.facts.push(f);
    for (const p of res.problems) this.scan.problem(p.code, p.message, p.member);
  }
}
