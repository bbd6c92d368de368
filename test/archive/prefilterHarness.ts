// The prefilter check shared by the main suite and the real-world suite: the
// same log fed with and without the prefilter, in several chunk sizes.
import { expect } from 'vitest';
import { LineFeeder } from '../../src/evidence/archive/lineFeeder.js';
import { mdmServerLogReader } from '../../src/evidence/notnow/serverLog.js';
import { deviceLogReader } from '../../src/evidence/text/deviceLog.js';
import { DEFAULT_LIMITS, type Item, type LineReader, type LineSink, type ReadContext, type ReadResult } from '../../src/evidence/types.js';

/** The same reader with the prefilter taken away: the feeder then delivers every line. */
function unfiltered(reader: LineReader): LineReader {
  return {
    ...reader,
    open(item, ctx) {
      const sink = reader.open(item, ctx);
      return { line: (t, n) => sink.line(t, n), end: () => sink.end() };
    },
  };
}

/** The reader as it is, counting the lines it is handed. */
function counted(reader: LineReader, seen: { lines: number }): LineReader {
  return {
    ...reader,
    open(item, ctx) {
      const sink = reader.open(item, ctx);
      const out: LineSink = {
        line: (t, n) => {
          seen.lines++;
          sink.line(t, n);
        },
        end: () => sink.end(),
      };
      if (sink.prefilter) out.prefilter = sink.prefilter;
      if (sink.wantsEveryLine) out.wantsEveryLine = () => sink.wantsEveryLine!();
      return out;
    },
  };
}

export const item: Item = { input: 'sysdiagnose.tar.gz', member: 'logs/AppSupport/com.apple.mdmd/mdmd.log' };
export const ctx: ReadContext = { limits: { ...DEFAULT_LIMITS, maxLineLength: 500 } };

export async function feed(data: Buffer, readers: LineReader[], chunk: number, c: ReadContext = ctx): Promise<ReadResult> {
  const f = new LineFeeder(item, readers, c);
  for (let i = 0; i < data.length; i += chunk) {
    const r = f.write(data.subarray(i, i + chunk));
    if ((typeof r === 'boolean' ? r : await r) === false) break;
  }
  return f.end();
}

export const READERS = [deviceLogReader, mdmServerLogReader];
export const CHUNKS = [7, 113, 4096, 1 << 20];

export async function expectSameBothWays(data: Buffer, c: ReadContext = ctx): Promise<{ delivered: number; result: ReadResult }> {
  const want = await feed(data, READERS.map(unfiltered), 1 << 20, c);
  let delivered = 0;
  for (const size of CHUNKS) {
    const seen = { lines: 0 };
    const got = await feed(data, [counted(deviceLogReader, seen), mdmServerLogReader], size, c);
    expect(JSON.stringify(got), `chunks of ${size} bytes`).toBe(JSON.stringify(want));
    if (size === 1 << 20) delivered = seen.lines;
  }
  return { delivered, result: want };
}
