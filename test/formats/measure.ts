import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandFacts } from '../../src/facts/fold.js';
import { readPath, runCase, type Fact, type Problem } from '../../src/index.js';
import { ctxWith } from '../archive/support.js';
import type { Sample, Shape } from './corpus.js';

/** What one form of a log gave: its facts without their provenance, and the verdict on it. */
export interface Outcome {
  facts: string[];
  problems: Problem[];
  /** Each cause's status, in report order: `id=status`. */
  verdict: string[];
  /** Each fact with the line it was read from (of one file). */
  lines: { fact: string; line: number | undefined }[];
}

/**
 * A fact as the engine weighs it: where it was read (file, member, line) is
 * left out, since that is what differs between two forms of one log.
 */
function weighed(f: Fact): string {
  const { source: _source, ...rest } = f as Fact & { source: unknown };
  return JSON.stringify(rest);
}

/** Writes the files in a folder of their own and reads them as `pushcheck diagnose` would. */
export async function outcomeOf(dir: string, files: { name: string; data: Buffer | string }[]): Promise<Outcome> {
  mkdirSync(dir, { recursive: true });
  const paths = files.map((f) => {
    const p = join(dir, f.name);
    writeFileSync(p, f.data);
    return p;
  });
  const facts: string[] = [];
  const lines: Outcome['lines'] = [];
  const problems: Problem[] = [];
  for (const p of paths) {
    const r = await readPath(p, ctxWith());
    // Observations folded into one fact carry their lines and members inside it: each is weighed on its own.
    for (const f of expandFacts(r.facts)) {
      facts.push(weighed(f));
      lines.push({ fact: weighed(f), line: (f.source as { line?: number }).line });
    }
    problems.push(...r.problems);
  }
  const report = await runCase({ paths, now: { at: '2026-11-21T00:00:00Z', label: '--now' } });
  return { facts: facts.sort(), problems, verdict: report.causes.map((c) => `${c.id}=${c.status}`), lines };
}

/**
 * Whether each fact of the form names the line of its file the plain log's
 * fact was read from, as the form's lineOf places it; undefined when the
 * form does not say (two files, or not placed).
 */
export function linesRight(
  shape: Shape,
  plain: Outcome,
  got: Outcome,
  files: { name: string; data: Buffer }[],
): { right: boolean; want: string[]; have: string[] } | undefined {
  if (!shape.lineOf || files.length !== 1) return undefined;
  const text = files[0]!.data.toString('utf8');
  const want = plain.lines.map((l) => `${l.line === undefined ? '-' : shape.lineOf!(l.line, text)} ${l.fact}`).sort();
  const have = got.lines.map((l) => `${l.line ?? '-'} ${l.fact}`).sort();
  return { right: JSON.stringify(want) === JSON.stringify(have), want, have };
}

export const plainFiles = (s: Sample) => [{ name: s.file, data: s.plain }];
export const shapeFiles = (shape: Shape, s: Sample) => shape.make(s);
