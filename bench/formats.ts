/**
 * How many forms of the formats corpus (test/formats/corpus.ts) pushcheck
 * reads: for each sample log and each form it arrives in, whether the form
 * gives any fact, the plain log's facts, the plain log's verdict, and
 * whether each fact names the line of the file its record starts at.
 * Run: `npx tsx bench/formats.ts`; with PUSHCHECK_REALWORLD set to the folder
 * of real-world inputs, its real logs go through every form made from the
 * plain text alone too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realSamples, SAMPLES, SHAPES, type Sample } from '../test/formats/corpus.js';
import { linesRight, outcomeOf, plainFiles } from '../test/formats/measure.js';

const root = mkdtempSync(join(tmpdir(), 'pushcheck-formats-'));
let forms = 0;
let noFact = 0;
let sameFacts = 0;
let sameVerdict = 0;
let n = 0;
let extraProblems = 0;
let placed = 0;
let linesOk = 0;
try {
  const real = process.env.PUSHCHECK_REALWORLD ? realSamples(process.env.PUSHCHECK_REALWORLD) : [];
  const runs: { key: keyof typeof SAMPLES; sample: Sample; real?: boolean }[] = [
    ...Object.entries(SAMPLES).map(([key, sample]) => ({ key: key as keyof typeof SAMPLES, sample })),
    ...real.map((r) => ({ ...r, real: true })),
  ];
  for (const { key, sample, real } of runs) {
    const plain = await outcomeOf(join(root, `${++n}`), plainFiles(sample));
    for (const shape of SHAPES.filter((s) => s.of.includes(key) && (!real || s.anyLog))) {
      const files = shape.make(sample);
      const got = await outcomeOf(join(root, `${++n}`), files);
      const lines = linesRight(shape, plain, got, files);
      if (lines) placed++;
      if (lines?.right) linesOk++;
      forms++;
      const facts = JSON.stringify(got.facts) === JSON.stringify(plain.facts);
      const verdict = JSON.stringify(got.verdict) === JSON.stringify(plain.verdict);
      if (!got.facts.length) noFact++;
      if (facts) sameFacts++;
      if (verdict) sameVerdict++;
      const problems = got.problems.filter((p) => !plain.problems.some((q) => q.code === p.code));
      if (problems.length) extraProblems++;
      console.log(
        `${facts ? 'same facts' : verdict ? 'same verdict' : got.facts.length ? 'other facts' : 'no fact'}${lines && !lines.right ? ', wrong lines' : ''}\t${sample.name}\t${shape.name}${problems.length ? `\t(${problems.map((p) => p.code).join(', ')})` : ''}`,
      );
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(
  `\n${forms} forms: ${noFact} gave no fact, ${sameFacts} the plain log's facts, ${sameVerdict} the plain log's verdict, ${extraProblems} problems the plain log did not; lines right in ${linesOk} of the ${placed} forms placed`,
);
