import { createReadStream } from 'node:fs';
import { readPath, readStream } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';

/**
 * Run by intake.test.ts as its own process, in a working folder and with a
 * TMPDIR of the test's: reads the archive named by its argument as a
 * stream and as a path, and prints how many facts each gave.
 */
const file = process.argv[2]!;
const ctx = { limits: DEFAULT_LIMITS };
const a = await readStream('bundle.zip', createReadStream(file), ctx);
const b = await readPath(file, ctx);
console.log(JSON.stringify({ a: a.facts.length, b: b.facts.length }));
