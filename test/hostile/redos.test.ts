import { describe, expect, it } from 'vitest';
import { readers } from '../../src/evidence/readers/index.js';
import { DEFAULT_LIMITS, type ReadResult, type Reader } from '../../src/evidence/types.js';
import { cpuMs } from '../support/cpu.js';
import { NAME_ONLY, settingsFor, shapesFor, type Setting, type Shape } from './shapes.js';

/**
 * Every registered reader (and so the paste parser, behind the paste reader)
 * is handed lines built to make backtracking patterns blow up: runs of
 * backslashes, quotes and spaces, and the words its own patterns look for,
 * repeated to the line cap. A linear reader takes twice as long on a line
 * twice as long; a quadratic pattern takes four times as long, and at the
 * real cap of 64K characters that is minutes. Lines here are 8K-32K (the
 * shape, not the size, is what matters); the full-size runs are in
 * `npm run bench:hostile`.
 *
 * Times are the CPU time of this process, not the wall clock: the suite runs
 * files side by side on a shared machine, and while another process has the
 * core the wall clock runs on but no work is done here.
 */
const LINE = 8192;
/** Below this a run is fast whatever its growth (timer and GC dominate). */
const FAST_MS = 50;
/**
 * A slow shape is timed again at 8K, 16K and 32K characters. Linear work
 * doubles with the line; quadratic work quadruples, at each step. V8 has
 * steps of its own (regex tiering, string representations, GC spaces) that
 * can make one doubling cost 4x, so only growth past 3x at both steps counts.
 */
const SIZES = [8192, 16384, 32768] as const;
const MAX_STEP = 3;
/** A dozen lines of 8K-32K characters read in no time by a linear reader; this is too slow whatever the growth. */
const TOO_SLOW_MS = 2000;

async function run(reader: Reader, setting: Setting, shape: Shape, length: number): Promise<{ ms: number; result: ReadResult }> {
  const ctx = { limits: { ...DEFAULT_LIMITS, maxLineLength: length } };
  const line = shape.line(length);
  const started = cpuMs();
  let result: ReadResult;
  if (reader.kind === 'lines') {
    const sink = reader.open(setting.item, ctx);
    let n = 1;
    for (const p of setting.preamble.split('\n')) sink.line(p, n++);
    for (let i = 0; i < shape.copies; i++) sink.line(line, n++);
    result = sink.end();
  } else {
    result = await reader.read(Buffer.from(setting.preamble + Array(shape.copies).fill(line).join('\n')), setting.item, ctx);
  }
  return { ms: cpuMs() - started, result };
}

/** The best of three runs, or of fewer when one is already far too slow. */
const best = async (f: () => Promise<number>) => {
  let m = await f();
  for (let i = 1; i < 3 && m <= TOO_SLOW_MS; i++) m = Math.min(m, await f());
  return m;
};

describe('no reader backtracks catastrophically on hostile lines', () => {
  it('every registered reader is covered', () => {
    // A reader added later is picked up from the registry, with its own patterns' words.
    expect(readers.length).toBeGreaterThan(10);
    for (const r of readers) expect(shapesFor(r.id).length, r.id).toBeGreaterThan(40);
    // …and meets them in at least one setting, unless it reads nothing but a member's name.
    const unreached = readers.filter((r) => settingsFor(r).length === 0).map((r) => r.id);
    expect(unreached).toEqual(NAME_ONLY);
  });

  it.each(readers.map((r) => [r.id, r] as const))('%s reads every hostile shape in linear time and names the input', async (_id, reader) => {
    const slow: string[] = [];
    for (const setting of settingsFor(reader)) {
      for (const shape of shapesFor(reader.id)) {
        const { ms, result } = await run(reader, setting, shape, LINE);
        // Whatever it made of the garbage, it is well-formed and points at the input.
        for (const f of result.facts) expect('input' in f.source && f.source.input).toBe(setting.item.input);
        for (const p of result.problems) expect(p.input).toBe(setting.item.input);
        if (ms < FAST_MS) continue;
        // Slow once: measure again, at three sizes, keeping the best of three (the machine is shared).
        const t: number[] = [];
        for (const size of SIZES) {
          t.push(Math.max(await best(async () => (await run(reader, setting, shape, size)).ms), 1));
          if (t[t.length - 1]! > TOO_SLOW_MS) break;
        }
        // Quadratic from a slow start reaches 16x FAST_MS at 32K; a linear reader slowed by a busy machine does not.
        const grows = t.length === SIZES.length ? t[1]! / t[0]! > MAX_STEP && t[2]! / t[1]! > MAX_STEP && t[2]! > 10 * FAST_MS : true;
        if (grows) slow.push(`${setting.name} / ${shape.name}: ${t.map((ms, i) => `${ms.toFixed(1)} ms at ${SIZES[i]}`).join(', ')} characters`);
      }
    }
    expect(slow, 'shapes whose time grows faster than the line').toEqual([]);
  });
});
