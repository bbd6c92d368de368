import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPath, readStream } from '../../src/evidence/read.js';
import { ctxWith, tgz, withTempDir } from './support.js';

/**
 * A .tar.gz on disk is read into two buffers taken in turn (archive/scanInput.ts),
 * not a new buffer per read. Whatever the reads' boundaries, it must give
 * exactly what the same bytes give when streamed (a Slack download), also
 * when the file is cut short.
 */

const ROOT = 'sysdiagnose_2026.11.22_10-00-00+0000_iPhone-OS_iPhone_22A100';

/** Bytes gzip cannot shrink (tracev3 data is compressed already), deterministic. */
function incompressible(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function apsdLog(seed: number): string {
  const lines: string[] = [];
  for (let i = 0; i < 200; i++) {
    const t = `2026-11-22 09:${String(i % 60).padStart(2, '0')}:${String((seed + i) % 60).padStart(2, '0')}.000000+0000`;
    lines.push(
      i % 4 === 0
        ? `${t} iPhone apsd[112] <Notice>: Received message for enabled topic 'com.apple.mgmt.External.${seed}' onInterface: NonCellular`
        : `${t} iPhone wifid[88] <Info>: SSID network RSSI -61 channel 36 tx rate 866 Mbps`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Logs with megabytes of log archive between them: the logs' bytes straddle many 1 MiB reads. */
function bundle(): Buffer {
  const entries = [];
  for (let i = 0; i < 6; i++) {
    entries.push({ path: `${ROOT}/logs/apsd/apsd.${i}.log`, data: apsdLog(i) });
    entries.push({ path: `${ROOT}/system_logs.logarchive/Persist/000000000000000${i}.tracev3`, data: incompressible(700_000 + i * 1000, i + 1) });
  }
  return tgz(entries);
}

describe('a .tar.gz read from disk gives what the same bytes give streamed', () => {
  it('a bundle of several megabytes: the same facts and problems', async () => {
    await withTempDir(async (dir) => {
      const data = bundle();
      expect(data.length).toBeGreaterThan(4 << 20);
      const file = join(dir, `${ROOT}.tar.gz`);
      await writeFile(file, data);
      const fromDisk = await readPath(file, ctxWith());
      const streamed = await readStream(file, createReadStream(file, { highWaterMark: 64 * 1024 }), ctxWith(), data.length);
      expect(fromDisk).toEqual(streamed);
      expect(fromDisk.problems).toEqual([]);
      const members = new Set(fromDisk.facts.flatMap((f) => (f.source.kind === 'file' && f.source.member?.endsWith('.log') ? [f.source.member] : [])));
      expect(members.size).toBe(6);
    });
  });

  it('the same bundle cut short: the problem says so, and what came before is kept, as when streamed', async () => {
    await withTempDir(async (dir) => {
      const data = bundle();
      const file = join(dir, `${ROOT}.tar.gz`);
      await writeFile(file, data.subarray(0, Math.floor(data.length * 0.6)));
      const fromDisk = await readPath(file, ctxWith());
      const streamed = await readStream(file, createReadStream(file), ctxWith());
      expect(fromDisk).toEqual(streamed);
      expect(fromDisk.problems.map((p) => p.code)).toContain('archive.truncated');
      expect(fromDisk.facts.some((f) => f.source.kind === 'file' && f.source.member?.endsWith('apsd.0.log'))).toBe(true);
    });
  });
});

describe('a .tar.gz cut short reads the same however its bytes arrive', () => {
  // A truncated download is read once in Slack and again from disk by the engineer: both must keep the
  // same members. Whether the last inflated bytes reach the readers must not depend on how fast they
  // came or how busy the readers were when gzip found the end missing.
  it('bytes in big or small pieces, fast or with pauses: the same facts and problems', async () => {
    await withTempDir(async (dir) => {
      const data = bundle();
      const cut = data.subarray(0, Math.floor(data.length * 0.6));
      const file = join(dir, `${ROOT}.tar.gz`);
      await writeFile(file, cut);
      const reference = await readPath(file, ctxWith());
      for (const piece of [4096, 65_536, 1 << 20]) {
        for (const pause of [0, 1]) {
          const source = Readable.from(
            (async function* () {
              for (let at = 0; at < cut.length; at += piece) {
                if (pause) await new Promise((r) => setTimeout(r, pause));
                yield cut.subarray(at, at + piece);
              }
            })(),
          );
          const got = await readStream(file, source, ctxWith());
          expect(got, `pieces of ${piece} bytes, pause ${pause} ms`).toEqual(reference);
        }
      }
    });
  }, 60_000);
});

describe('a .tar.gz cut short inside a long log', () => {
  // gzip reports the missing end only after its last inflated bytes; the readers are usually still
  // behind it then (text is slower to read than to inflate). Every line the cut file still holds is read.
  it('the last whole line before the cut is read', async () => {
    await withTempDir(async (dir) => {
      const lines: string[] = [];
      for (let i = 0; i < 200_000; i++) {
        const s = i % 86_400;
        const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
        lines.push(
          `2026-11-22 ${hms}.000000+0000 iPhone apsd[112] <Notice>: Received message for enabled topic 'com.apple.mgmt.External.x' onInterface: NonCellular`,
        );
      }
      const cut = tgz([{ path: `${ROOT}/logs/apsd/apsd.log`, data: `${lines.join('\n')}\n` }]);
      const file = join(dir, `${ROOT}.tar.gz`);
      await writeFile(file, cut.subarray(0, Math.floor(cut.length * 0.6)));
      // What the cut file still holds, inflated as far as it goes.
      const held = gunzipSync(cut.subarray(0, Math.floor(cut.length * 0.6)), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
      const whole = held.slice(512, held.lastIndexOf('\n'));
      const last = whole.slice(whole.lastIndexOf('\n') + 1);
      const lastAt = `${last.slice(0, 10)}T${last.slice(11, 19)}.000Z`;

      const r = await readPath(file, ctxWith());
      expect(r.problems.map((p) => p.code)).toContain('archive.truncated');
      const received = r.facts.find((f) => f.name === 'device.log.push_received');
      expect(received?.fold?.lastAt).toBe(lastAt);
    });
  }, 60_000);
});
