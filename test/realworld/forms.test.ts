import { describe, it } from 'vitest';
import { realSamples, SHAPES } from '../formats/corpus.js';
import { expectReadLikePlain } from '../formats/likePlain.js';
import { scratchDir } from '../support/scratch.js';
import { REALWORLD_DIR } from './files.js';

/**
 * Real logs (NanoMDM's quickstart log, a macOS `log show` export) as they
 * reach an engineer: saved on Windows, zipped, shipped by Docker, Kubernetes,
 * syslog, Elastic or Splunk. Each form gives the plain file's facts and
 * verdict, and each fact names the line of the form's file it came from.
 */
let n = 0;
const dir = () => `${scratchDir('pushcheck-realforms-')}/${++n}`;

describe.each(realSamples(REALWORLD_DIR).map((r) => [r.sample.name, r] as const))('the %s', (_name, { key, sample }) => {
  const shapes = SHAPES.filter((s) => s.anyLog && s.of.includes(key));
  it.each(shapes.map((s) => [s.name, s] as const))('%s gives the facts, verdict and lines of the plain file', async (_shape, shape) => {
    await expectReadLikePlain(dir, sample, shape);
  });
});
