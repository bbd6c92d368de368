import { expect } from 'vitest';
import type { Sample, Shape } from './corpus.js';
import { linesRight, outcomeOf, plainFiles } from './measure.js';

/**
 * The log in one of its forms reads as the plain log does: the same facts, the same verdict, the same
 * problems (none of them about the wrapping), and each fact names the line of the form's file its record
 * starts at. `dir` gives a fresh folder on each call.
 */
export async function expectReadLikePlain(dir: () => string, sample: Sample, shape: Shape): Promise<void> {
  const plain = await outcomeOf(dir(), plainFiles(sample));
  expect(plain.facts.length).toBeGreaterThan(0);
  const files = shape.make(sample);
  const got = await outcomeOf(dir(), files);
  expect(got.facts).toEqual(plain.facts);
  expect(got.verdict).toEqual(plain.verdict);
  expect(got.problems).toEqual(plain.problems);
  const lines = linesRight(shape, plain, got, files);
  if (lines) expect(lines.have).toEqual(lines.want);
}
