import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPath, runCase, type Fact, type Problem } from '../../src/index.js';
import { ctxWith } from '../archive/support.js';
import type { Sample, Shape } from './corpus.js';

/** What one form of a log gave: its facts without their provenance, and the verdict on it. */
export interface Outcome {
  facts: string[];
  problems: Problem[];
  /** Each cause's status, in report order: `id=status`. */
  verdict: string[];
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
  const problems: Problem[] = [];
  for (const p of paths) {
    const r = await readPath(p, ctxWith());
    for (const f of r.facts) facts.push(weighed(f));
    problems.push(...r.problems);
  }
  const report = await runCase({ paths, now: { at: '2026-11-21T00:00:00Z', label: '--now' } });
  return { facts: facts.sort(), problems, verdict: report.causes.map((c) => `${c.id}=${c.status}`) };
}

export const plainFiles = (s: Sample) => [{ name: s.file, data: s.plain }];
export const shapeFiles = (shape: Shape, s: Sample) => shape.make(s);
