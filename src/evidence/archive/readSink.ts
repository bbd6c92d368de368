import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, type BufferReader, type Item } from '../types.js';
import type { LineFeeder } from './lineFeeder.js';
import type { Scan } from './scan.js';
import type { ChunkSink } from './sink.js';

/**
 * A member some reader wants: buffered (up to maxMemberBytes) for structured
 * readers, streamed line by line to text readers, or both.
 */
export class ReadSink implements ChunkSink {
  private data: Buffer | undefined;
  private parts: Buffer[] | undefined;
  private length = 0;
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
    if (buffers.length) {
      scan.counts.buffered++;
      const max = scan.limits.maxMemberBytes;
      if (size !== undefined && size > max) this.refuseBuffer(size);
      else if (size !== undefined) this.data = Buffer.allocUnsafe(size);
      else this.parts = [];
    }
    if (lines) scan.counts.lines++;
  }

  write(chunk: Buffer): void | Promise<void> {
    if (this.buffers.length && !this.tooLarge) {
      if (this.length + chunk.length > (this.data ? this.data.length : this.scan.limits.maxMemberBytes)) {
        this.refuseBuffer(this.length + chunk.length);
      } else if (this.data) {
        chunk.copy(this.data, this.length);
      } else {
        this.parts!.push(Buffer.from(chunk));
      }
      this.length += chunk.length;
    }
    if (!this.linesOpen) return;
    const r = this.lines!.write(chunk);
    if (r === false) this.linesOpen = false;
    else if (r !== true)
      return r.then((open) => {
        if (!open) this.linesOpen = false;
      });
  }

  async end(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.lines) this.keep(this.lines.end());
    if (!this.buffers.length || this.tooLarge) return;
    const data = this.data ? this.data.subarray(0, this.length) : Buffer.concat(this.parts!);
    this.data = undefined;
    this.parts = undefined;
    for (const r of this.buffers) {
      try {
        this.keep(await r.read(data, this.item, { limits: this.scan.limits }));
      } catch (e) {
        this.scan.problem('reader.failed', `${r.id} could not read it: ${(e as Error).message}`, this.item.member);
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
  }

  private refuseBuffer(size: number): void {
    this.tooLarge = true;
    this.data = undefined;
    this.parts = undefined;
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
