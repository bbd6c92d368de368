import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectSameBothWays } from '../archive/prefilterHarness.js';
import { realworld, realworldFiles } from './files.js';

describe('the prefiltered line feeder reports exactly what the unfiltered one does', () => {
  it('for the logs and texts among the real-world files', async () => {
    let files = 0;
    for (const name of realworldFiles()) {
      if (!/\.(log|txt|json)$/.test(name)) continue;
      const data = readFileSync(realworld(name));
      await expectSameBothWays(data);
      // Repeated, so that the prefilter is past the recognition window.
      await expectSameBothWays(Buffer.concat(Array.from({ length: 50 }, () => data)));
      files++;
    }
    expect(files).toBeGreaterThan(2);
  });
});
