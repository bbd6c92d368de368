import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { crossings, cycles, importGraph, type ImportGraph, type Wall } from './importGraph.js';

/**
 * Data flows one way: evidence readers → facts → engine → report →
 * renderers, with the case service the only door into it. These walls keep
 * it so; each says why, and the failure names the file and the import.
 */
const WALLS: Wall[] = [
  { from: ['engine'], only: ['facts'], why: 'the engine evaluates rules over facts and knows nothing else' },
  { from: ['facts'], never: ['engine', 'evidence'], why: 'facts are the shared model: readers produce them, the engine reads them' },
  { from: ['evidence'], never: ['engine', 'report', 'case', 'slack'], why: 'readers turn inputs into facts; they do not diagnose, report or talk to Slack' },
  { from: ['report'], never: ['escalation', 'case', 'slack'], why: 'a report describes a diagnosis; the case service adds the Feedback draft' },
  {
    from: ['cli', 'slack', 'terminal', 'index.ts'],
    only: ['case', 'report/types.ts', 'report/render', 'timeline'],
    why: 'front ends go through the case service, and show its reports with the renderers',
  },
  { from: ['case'], never: ['cli', 'slack', 'terminal', 'index.ts', 'main.ts'], why: 'the service serves every front end and knows none of them' },
];

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

const graph = (edges: Record<string, string[]>): ImportGraph =>
  new Map(Object.entries(edges).map(([file, to]) => [file, to.map((t) => ({ to: t.replace(/^type /, ''), typeOnly: t.startsWith('type ') }))]));

describe('the walls between the folders of src/', () => {
  const real = importGraph(SRC);

  it('reads the real import graph (the check is not looking at an empty folder)', () => {
    expect(real.size).toBeGreaterThan(100);
    expect(real.get('engine/diagnose.ts')?.map((e) => e.to)).toContain('facts/byName.ts');
  });

  it('no import crosses a wall', () => {
    expect(crossings(real, WALLS).map((c) => `${c.file} imports ${c.imports}: ${c.why}`)).toEqual([]);
  });

  it('no import cycle', () => {
    expect(cycles(real).map((c) => c.join(' → '))).toEqual([]);
  });
});

describe('the wall check itself fails when a wall is crossed', () => {
  it('an engine file importing a reader is reported with the wall it crosses', () => {
    const g = graph({ 'engine/evaluate.ts': ['facts/schema.ts', 'evidence/read.ts'], 'facts/schema.ts': [], 'evidence/read.ts': ['facts/schema.ts'] });
    expect(crossings(g, WALLS)).toEqual([{ file: 'engine/evaluate.ts', imports: 'evidence/read.ts', why: WALLS[0]!.why }]);
  });

  it('a type-only import crosses a wall too', () => {
    const g = graph({ 'facts/derive/index.ts': ['type engine/evaluate.ts'], 'engine/evaluate.ts': [] });
    expect(crossings(g, WALLS).map((c) => c.imports)).toEqual(['engine/evaluate.ts']);
  });

  it('a front end reaching past the service is reported; the service, report types and renderers are fine', () => {
    const g = graph({
      'slack/ingest.ts': ['case/index.ts', 'report/types.ts', 'report/render/markdown.ts', 'timeline/png.ts', 'store/types.ts', 'type engine/answers.ts'],
    });
    expect(crossings(g, WALLS).map((c) => c.imports)).toEqual(['store/types.ts', 'engine/answers.ts']);
  });

  it('imports inside one folder are free', () => {
    expect(crossings(graph({ 'evidence/a.ts': ['evidence/b/c.ts'], 'evidence/b/c.ts': [] }), WALLS)).toEqual([]);
  });

  it('a cycle of value imports is found once, whichever file the walk starts from; type-only loops are not cycles', () => {
    const g = graph({ 'a/x.ts': ['a/y.ts'], 'a/y.ts': ['a/z.ts'], 'a/z.ts': ['a/x.ts'], 'b/p.ts': ['b/q.ts'], 'b/q.ts': ['type b/p.ts'] });
    expect(cycles(g)).toEqual([['a/x.ts', 'a/y.ts', 'a/z.ts', 'a/x.ts']]);
  });
});
