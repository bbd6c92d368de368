import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch.js';
import { BROKEN, SAMPLES, SHAPES } from './corpus.js';
import { outcomeOf, plainFiles } from './measure.js';

/**
 * An engineer hands over the log as it came to them: saved by Notepad, pulled
 * out of Docker or journald, exported from CloudWatch or a log console,
 * zipped by Finder, reformatted by jq. Whatever the form, pushcheck must read
 * the same lines out of it as out of the plain log, and come to the same
 * verdict, without a word about the wrapping.
 */
let n = 0;
const dir = () => `${scratchDir('pushcheck-formats-')}/${++n}`;

describe.each(Object.entries(SAMPLES))('the %s', (key, sample) => {
  const shapes = SHAPES.filter((s) => s.of.includes(key as keyof typeof SAMPLES));
  it.each(shapes.map((s) => [s.name, s] as const))('%s gives the facts and verdict of the plain log, and no problem', async (_name, shape) => {
    const plain = await outcomeOf(dir(), plainFiles(sample));
    expect(plain.facts.length).toBeGreaterThan(0);
    const got = await outcomeOf(dir(), shape.make(sample));
    expect(got.facts).toEqual(plain.facts);
    expect(got.verdict).toEqual(plain.verdict);
    expect(got.problems).toEqual(plain.problems);
  });
});

describe('a log that is damaged in its wrapping', () => {
  it.each(BROKEN.map((b) => [b.name, b] as const))('%s: says so, naming the file, and keeps what it could read', async (_name, broken) => {
    const got = await outcomeOf(dir(), [{ name: broken.file, data: broken.data }]);
    const problem = got.problems.find((p) => broken.problem.test(p.message));
    expect(problem, JSON.stringify(got.problems)).toBeDefined();
    expect(problem!.input).toMatch(new RegExp(`${broken.file.replace('.', '\\.')}$`));
    expect(got.facts.length).toBeGreaterThan(0);
  });
});
