import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPath } from '../../src/evidence/read.js';
import { apnsEventsReader } from '../../src/evidence/securemail/apnsEvents.js';
import type { ReadResult } from '../../src/evidence/types.js';
import { tgz, withTempDir } from '../archive/support.js';
import { hostile } from '../hostile/cases.js';
import { ctx } from './helpers.js';

/**
 * A large CtxLog_APNS_Events.csv is read as its bytes arrive, never held
 * whole: what it gives must be what reading the whole table at once gives,
 * from a file on disk as from a member of a .tar.gz (where the chunks fall
 * elsewhere).
 */
const csv = Buffer.from(hostile.apnsEventsCsv(30_000), 'utf8');
const MEMBER = 'SecureMailLogs/CtxLog_APNS_Events.csv';

/** The reader's own facts and problems (a bundle adds facts about the archive itself). */
const own = (r: ReadResult): ReadResult => ({ facts: r.facts.filter((f) => f.name.startsWith('securemail.')), problems: r.problems });

describe('a large Secure Mail APNs events table, read as it arrives', () => {
  it('gives what the whole table read at once gives, from a file and from inside a .tar.gz', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'CtxLog_APNS_Events.csv');
      await writeFile(file, csv);
      const whole = await apnsEventsReader.read(csv, { input: file }, ctx);
      expect(whole.facts.length).toBeGreaterThan(5);
      expect(whole.problems.map((p) => p.code)).toEqual(['securemail.csv_folded']);
      expect(await readPath(file, ctx)).toMatchObject(whole);

      const bundle = join(dir, 'securemail.tar.gz');
      await writeFile(bundle, tgz([{ path: MEMBER, data: csv }]));
      const wholeMember = await apnsEventsReader.read(csv, { input: bundle, member: MEMBER }, ctx);
      expect(own(await readPath(bundle, ctx))).toEqual(wholeMember);
    });
  });

  it('cut short inside a .tar.gz, gives none of its facts and says the table was not read whole', async () => {
    await withTempDir(async (dir) => {
      const whole = tgz([{ path: MEMBER, data: csv }]);
      const bundle = join(dir, 'securemail.tar.gz');
      await writeFile(bundle, whole.subarray(0, Math.floor(whole.length / 2)));
      const read = await readPath(bundle, ctx);
      expect(own(read).facts).toEqual([]);
      expect(read.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['member.incomplete', 'archive.truncated']));
    });
  });

  it('is refused as not text from its first bytes, as when read whole', async () => {
    const junk = Buffer.alloc(600_000, 1);
    await withTempDir(async (dir) => {
      const file = join(dir, 'CtxLog_APNS_Events.csv');
      await writeFile(file, junk);
      const whole = await apnsEventsReader.read(junk, { input: file }, ctx);
      expect(whole.problems.map((p) => p.code)).toEqual(['securemail.csv_not_text']);
      expect(await readPath(file, ctx)).toMatchObject(whole);
    });
  });
});
