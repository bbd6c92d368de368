import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanPath } from '../../src/evidence/archive/index.js';
import { readPath } from '../../src/evidence/read.js';
import { readers } from '../../src/evidence/readers/index.js';
import type { LineReader } from '../../src/evidence/types.js';
import { FactFolder } from '../../src/facts/fold.js';
import type { Fact } from '../../src/facts/schema.js';
import { ctxWith, tgz, withTempDir, zip } from './support.js';

/**
 * A bundle's facts are folded while it is still being read (the thousands of
 * apsd events of one log are let go before the next log), not all at the end.
 * Folding as the scan goes must give exactly what folding everything at the
 * end gives, and a zip member whose checksum fails must still take back every
 * fact it gave, folded or not.
 */

const ROOT = 'sysdiagnose_2026.11.22_10-00-00+0000_iPhone-OS_iPhone_22A100';

/** An apsd log in the syslog style a sysdiagnose holds: pushes received, a timeout, and unrelated chatter. */
function apsdLog(seed: number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const s = String((seed * 7 + i) % 60).padStart(2, '0');
    const m = String(Math.floor(i / 60) % 60).padStart(2, '0');
    const t = `2026-11-22 09:${m}:${s}.${String(i % 1000).padStart(3, '0')}000+0000`;
    if (i % 5 === 0)
      out.push(`${t} iPhone apsd[112] <Notice>: Received message for enabled topic 'com.apple.mgmt.External.${seed % 3}' onInterface: NonCellular`);
    else if (i % 11 === 0) out.push(`${t} iPhone apsd[112] <Error>: Task <A${i}>.<1> finished with error [-1001] Error Domain=NSURLErrorDomain Code=-1001`);
    else out.push(`${t} iPhone locationd[88] <Info>: Location update lat 52.${i} lon -1.${seed} accuracy 65`);
  }
  return `${out.join('\n')}\n`;
}

/** What folding the facts of a whole scan at the end gives (how every input was read before). */
async function foldedAtTheEnd(file: string): Promise<Fact[]> {
  const folder = new FactFolder();
  for (const f of (await scanPath(file, ctxWith())).facts) folder.add(f);
  return folder.facts();
}

describe('facts are folded while a bundle is read', () => {
  it('a .tar.gz of many apsd logs gives the same folded facts as folding them all at the end', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, `${ROOT}.tar.gz`);
      const logs = Array.from({ length: 40 }, (_, i) => ({ path: `${ROOT}/logs/apsd/apsd.${i}.log`, data: apsdLog(i, 600) }));
      await writeFile(file, tgz(logs));

      // Each log is read while the others are still ahead: the folder gets facts before the scan ends.
      const added: number[] = [];
      let membersSeen = 0;
      const folder = new (class extends FactFolder {
        override add(f: Fact): void {
          added.push(membersSeen);
          super.add(f);
        }
      })();
      const opened: LineReader = {
        id: 'test.opened',
        kind: 'lines',
        accepts: (name) => name.endsWith('.log'),
        open: () => {
          membersSeen++;
          return { prefilter: { needles: ['~never~'] }, line() {}, end: () => ({ facts: [], problems: [] }) };
        },
      };
      await scanPath(file, ctxWith(), [...readers, opened], folder);
      expect(added.length).toBeGreaterThan(0);
      expect(added[0]).toBeLessThan(membersSeen);

      const whole = await readPath(file, ctxWith());
      expect(whole.facts).toEqual(await foldedAtTheEnd(file));
      expect(whole.facts.find((f) => f.name === 'device.log.push_received')).toBeDefined();
    });
  });

  it('a zip member that fails its checksum between two good logs takes back its facts, and the good ones stay', async () => {
    await withTempDir(async (dir) => {
      const good = zip([
        { path: 'logs/apsd.0.log', data: apsdLog(0, 800) },
        { path: 'logs/apsd.1.log', data: apsdLog(1, 800) },
        { path: 'logs/apsd.2.log', data: apsdLog(2, 800) },
      ]);
      const bad = Buffer.from(good);
      // One flipped bit inside the second log's stored data.
      bad[good.indexOf('lon -1.1 accuracy') + 5] ^= 1;
      const file = join(dir, 'logs.zip');
      await writeFile(file, bad);

      const res = await readPath(file, ctxWith());
      expect(res.problems).toEqual([expect.objectContaining({ member: 'logs/apsd.1.log', code: 'archive.checksum_mismatch' })]);
      expect(res.facts).toEqual(await foldedAtTheEnd(file));
      const members = new Set(res.facts.map((f) => (f.source.kind === 'file' ? f.source.member : undefined)));
      expect(members).toEqual(new Set(['logs/apsd.0.log', 'logs/apsd.2.log']));
    });
  });
});
