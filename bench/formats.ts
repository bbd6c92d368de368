/**
 * How many forms of the formats corpus (test/formats/corpus.ts) pushcheck
 * reads: for each sample log and each form it arrives in, whether the form
 * gives any fact, the plain log's facts, and the plain log's verdict.
 * Run: `npx tsx bench/formats.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES, SHAPES } from '../test/formats/corpus.js';
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
  for (const [key, sample] of Object.entries(SAMPLES)) {
    const plain = await outcomeOf(join(root, `${++n}`), plainFiles(sample));
    for (const shape of SHAPES.filter((s) => s.of.includes(key as keyof typeof SAMPLES))) {
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
