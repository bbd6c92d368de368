import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBuffer } from '../../src/evidence/dispatch.js';
import { readPath, readStream } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { expandFacts, foldFacts } from '../../src/facts/fold.js';
import { sortFacts } from '../../src/facts/order.js';
import { tgz } from './support.js';

const ctx = { limits: DEFAULT_LIMITS };
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/**
 * The project's stand-ins for the real-world set (check-ins, command results,
 * a webhook, fragments, an enrollment template, provisioning profiles, a
 * server log and a `log show` export mixed with server lines).
 */
function inputs(): string[] {
  const server = join(FIXTURES, 'mdm/server');
  return [
    ...readdirSync(server)
      .filter((n) => n !== 'README.md')
      .map((n) => join(server, n)),
    ...['dev_no_aps', 'enterprise_aps_production', 'enterprise_no_aps'].map((n) => join(FIXTURES, `apns/${n}.mobileprovision`)),
    join(FIXTURES, 'notnow/nanomdm_2021_round_trip.log'),
    join(FIXTURES, 'text/log_show_default_mdmclient_with_server_lines.log'),
  ].sort();
}

describe("the project's own inputs read through the streaming intake", () => {
  it('each gives the same facts and problems as reading it whole, from a path and from a stream in tiny chunks', async () => {
    const files = inputs();
    expect(files.length).toBeGreaterThan(10);
    for (const path of files) {
      const data = await readFile(path);
      const read = await readBuffer({ input: path }, data, ctx);
      // What is kept is folded (repeated observations are one fact with a count), and unfolds to every observation.
      const whole = { facts: foldFacts(read.facts), problems: read.problems };
      const fromPath = await readPath(path, ctx);
      expect(fromPath, path).toEqual(whole);
      // The server-log reader folds as it reads, so both sides are unfolded to compare every observation.
      expect(sortFacts(expandFacts(fromPath.facts)), path).toEqual(sortFacts(expandFacts(read.facts)));
      const chunks = Array.from({ length: Math.ceil(data.length / 7) }, (_, i) => data.subarray(i * 7, i * 7 + 7));
      expect(await readStream(path, Readable.from(chunks), ctx, data.length), path).toEqual(whole);
    }
  });

  it('the same files inside a sysdiagnose-like .tar.gz keep their facts, now sourced to their member paths', async () => {
    const root = 'sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone_21E236/logs/evidence';
    const entries = await Promise.all(inputs().map(async (p) => ({ path: `${root}/${basename(p)}`, data: await readFile(p) })));
    const res = await readStream('bundle.tgz', Readable.from([tgz(entries)]), ctx);
    for (const { path, data } of entries) {
      const alone = await readBuffer({ input: 'bundle.tgz', member: path }, data, ctx);
      const got = expandFacts(res.facts).filter((f) => f.source.kind === 'file' && f.source.member === path);
      expect(sortFacts(got), path).toEqual(sortFacts(expandFacts(alone.facts)));
    }
  });
});
