import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBuffer } from '../../src/evidence/dispatch.js';
import { readPath, readStream } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { expandFacts, foldFacts } from '../../src/facts/fold.js';
import { sortFacts } from '../../src/facts/order.js';
import { tgz } from '../archive/support.js';
import { REALWORLD_DIR } from './files.js';

const REAL = REALWORLD_DIR;
const ctx = { limits: DEFAULT_LIMITS };

describe('real-world files read through the streaming intake', () => {
  it('each gives the same facts and problems as reading it whole, from a path and from a stream in tiny chunks', async () => {
    const files = (await readdir(REAL)).filter((n) => n !== 'README.md').sort();
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const path = join(REAL, name);
      const data = await readFile(path);
      const read = await readBuffer({ input: path }, data, ctx);
      // What is kept is folded (repeated observations are one fact with a count), and unfolds to every observation.
      const whole = { facts: foldFacts(read.facts), problems: read.problems };
      const streamed = await readPath(path, ctx);
      expect(streamed, name).toEqual(whole);
      // The server-log reader folds as it reads, so both sides are unfolded to compare every observation.
      expect(sortFacts(expandFacts(streamed.facts)), name).toEqual(sortFacts(expandFacts(read.facts)));
      const chunks = Array.from({ length: Math.ceil(data.length / 7) }, (_, i) => data.subarray(i * 7, i * 7 + 7));
      expect(await readStream(path, Readable.from(chunks), ctx, data.length), name).toEqual(whole);
    }
  });

  it('the same files inside a sysdiagnose-like .tar.gz keep their facts, now sourced to their member paths', async () => {
    const files = (await readdir(REAL)).filter((n) => n !== 'README.md').sort();
    const root = 'sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone_21E236/logs/evidence';
    const entries = await Promise.all(files.map(async (n) => ({ path: `${root}/${n}`, data: await readFile(join(REAL, n)) })));
    const res = await readStream('bundle.tgz', Readable.from([tgz(entries)]), ctx);
    for (const { path, data } of entries) {
      const alone = await readBuffer({ input: 'bundle.tgz', member: path }, data, ctx);
      const got = expandFacts(res.facts).filter((f) => f.source.kind === 'file' && f.source.member === path);
      expect(sortFacts(got), path).toEqual(sortFacts(expandFacts(alone.facts)));
    }
  });
});
