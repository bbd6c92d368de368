import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectEvidence, diagnoseEvidence, runCase } from '../../src/case/index.js';
import { writePieces } from '../../src/cli/write.js';
import { renderJson, renderJsonPieces } from '../../src/report/render/index.js';
import type { Report } from '../../src/report/types.js';
import { buildCases } from './cases.js';

/**
 * A push-heavy bundle's JSON report runs to megabytes. The CLI writes it in
 * pieces as it renders, and diagnoses in slices with the event loop turning
 * between phases: the bytes must be exactly those of the one-string report.
 */
const answersOf = (a: Record<string, string> = {}) => Object.entries(a).map(([question, value]) => ({ question, value }));

describe('the JSON report written in pieces', () => {
  it('is byte for byte the report rendered at once, and the diagnosis in slices is the diagnosis at once, for each case', async () => {
    for (const c of buildCases()) {
      const input = { paths: c.paths, pastes: c.paste ? [{ text: c.paste, label: '--paste' }] : [], answers: answersOf(c.answers) };
      const sliced = await runCase(input);
      const { report: atOnce } = diagnoseEvidence(await collectEvidence(input), input.answers);
      expect(renderJson(sliced), c.name).toBe(renderJson(atOnce));
      expect([...renderJsonPieces(sliced)].join(''), c.name).toBe(renderJson(sliced));
    }
  });

  it('leaves out what JSON.stringify leaves out and indents nested values as it does', () => {
    const odd = {
      schemaVersion: 1,
      gone: undefined,
      fn: () => 1,
      empty: [],
      none: {},
      text: 'two\nlines "quoted"',
      list: [1, undefined, { a: [{ b: 'c' }, []], skip: undefined }, null, [[1, 2]]],
      when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      nested: { deeper: { deepest: [{ x: 1 }] }, onlyUndefined: { y: undefined } },
    } as unknown as Report;
    expect([...renderJsonPieces(odd)].join('')).toBe(renderJson(odd));
  });

  it('writes long arrays in runs of elements exactly as JSON.stringify does, whatever their sizes', () => {
    const big = 'x'.repeat(70_000);
    const odd = {
      schemaVersion: 1,
      timeline: Array.from({ length: 5_001 }, (_, i) => (i % 997 === 0 ? { text: big, i } : { at: `t${i}`, attrs: { n: String(i), list: [i, [i]] } })),
      mixed: Array.from({ length: 300 }, (_, i) => [undefined, null, i, `s${i}`, [], {}, { y: undefined }, [[i]], () => i][i % 9]),
      one: [{ only: true }],
      hugeOnly: [big, big, big],
      nested: { list: Array.from({ length: 3_000 }, (_, i) => ({ i })) },
    } as unknown as Report;
    const got = [...renderJsonPieces(odd)];
    expect(got.join('')).toBe(renderJson(odd));
    // In runs, not one piece per element or per key.
    expect(got.length).toBeLessThan(200);
  });

  it('waits for a slow reader to drain and lets the event loop turn while writing', async () => {
    const report = {
      schemaVersion: 1,
      timeline: Array.from({ length: 20_000 }, (_, i) => ({ at: `2026-01-01T00:00:${i}`, what: `push ${i}` })),
    } as unknown as Report;
    const got: Buffer[] = [];
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        got.push(chunk);
        setTimeout(done, 1);
      },
    });
    slow.on('drain', () => drains++);
    let turns = 0;
    let writing = true;
    const tick = async () => {
      while (writing) {
        await nextTurn();
        turns++;
      }
    };
    const ticking = tick();
    await writePieces(slow, renderJsonPieces(report));
    writing = false;
    await ticking;
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(Buffer.concat(got).toString('utf8')).toBe(renderJson(report));
    expect(drains).toBeGreaterThan(0);
    expect(turns).toBeGreaterThan(1);
  });
});
