import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TarParser } from '../../src/evidence/archive/tar.js';
import { readPath } from '../../src/evidence/read.js';
import type { ReadResult } from '../../src/evidence/types.js';
import { ctxWith, MDM_PLIST, tar, tarHeader, withTempDir, type TarEntry } from './support.js';

/**
 * The input's .tar.gz is walked ahead of its parser (archive/lookahead.ts):
 * the data of members no reader wants (the log archive's tracev3 files) is
 * passed over as zlib inflates it. The readers must see exactly what the
 * same tar gives read uncompressed, where nothing is walked ahead.
 */

const ROOT = 'sysdiagnose_2026.11.22_10-00-00+0000_iPhone-OS_iPhone_22A100';

afterEach(() => {
  vi.restoreAllMocks();
});

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

function apsdLog(seed: number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = `2026-11-22 09:${String(i % 60).padStart(2, '0')}:${String((seed + i) % 60).padStart(2, '0')}.000000+0000`;
    out.push(
      i % 4 === 0
        ? `${t} iPhone apsd[112] <Notice>: Received message for enabled topic 'com.apple.mgmt.External.${seed}' onInterface: NonCellular`
        : `${t} iPhone wifid[88] <Info>: SSID network RSSI -61 channel 36 tx rate 866 Mbps`,
    );
  }
  return `${out.join('\n')}\n`;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

/** A member whose name comes in a GNU long-name record ('L') before its header. */
function gnuLongName(path: string, data: Buffer): Buffer {
  const name = Buffer.from(`${path}\0`);
  return Buffer.concat([
    tarHeader({ path: '././@LongLink', size: name.length, type: 'L' }),
    name,
    pad(name.length),
    tarHeader({ path: path.slice(0, 90), size: data.length, type: '0' }),
    data,
    pad(data.length),
  ]);
}

/** A member whose path and size come in a pax record ('x') before its header. */
function paxMember(path: string, data: Buffer): Buffer {
  const body = (len: number) => `${len} path=${path}\n`;
  let len = body(0).length;
  while (body(len).length !== len) len = body(len).length;
  const rec = Buffer.from(body(len));
  return Buffer.concat([
    tarHeader({ path: 'PaxHeaders/x', size: rec.length, type: 'x' }),
    rec,
    pad(rec.length),
    tarHeader({ path: 'short-name', size: data.length, type: '0' }),
    data,
    pad(data.length),
  ]);
}

/** The same findings, whichever file they were read from. */
function asRead(r: ReadResult, input: string): unknown {
  return JSON.parse(JSON.stringify(r).replaceAll(JSON.stringify(input).slice(1, -1), 'INPUT'));
}

async function readBoth(dir: string, tarBytes: Buffer): Promise<{ gz: unknown; plain: unknown; passedOver: number }> {
  const gzFile = join(dir, `${ROOT}.tar.gz`);
  const tarFile = join(dir, `${ROOT}.tar`);
  await writeFile(gzFile, gzipSync(tarBytes));
  await writeFile(tarFile, tarBytes);
  const skip = vi.spyOn(TarParser.prototype, 'skip');
  const gz = asRead(await readPath(gzFile, ctxWith()), gzFile);
  const passedOver = skip.mock.calls.reduce((n, [bytes]) => n + bytes, 0);
  skip.mockClear();
  const plain = asRead(await readPath(tarFile, ctxWith()), tarFile);
  expect(skip).not.toHaveBeenCalled();
  return { gz, plain, passedOver };
}

describe('a sysdiagnose .tar.gz walked ahead of its parser', () => {
  it('passes over the log archive, and the readers find what the same tar gives uncompressed', async () => {
    const big = (i: number) => incompressible(600_000 + i * 777, i + 1);
    const entries: TarEntry[] = [
      { path: `${ROOT}/logs/apsd/apsd.0.log`, data: apsdLog(0, 300) },
      { path: `${ROOT}/logs/apsd/apsd.big.log`, data: apsdLog(1, 4000) },
      { path: `${ROOT}/Library/Managed Preferences/mobile/MDM.plist`, data: MDM_PLIST },
      { path: `${ROOT}/system_logs.logarchive/Info.plist`, data: '<?xml version="1.0"?><plist version="1.0"><dict/></plist>' },
      { path: `${ROOT}/system_logs.logarchive/Persist/0000000000000001.tracev3`, data: big(1) },
      { path: `${ROOT}/system_logs.logarchive/Persist/0000000000000002.tracev3`, data: big(2) },
      { path: 'notes/blob.bin', data: big(3) },
      { path: `${ROOT}/logs/apsd/apsd.1.log`, data: apsdLog(2, 300) },
    ];
    const longPath = `${ROOT}/system_logs.logarchive/Special/${'d'.repeat(80)}/0000000000000003.tracev3`;
    const tarBytes = Buffer.concat([
      tar(entries, { endMarker: false }),
      gnuLongName(longPath, big(4)),
      paxMember(`${ROOT}/system_logs.logarchive/Signpost/0000000000000004.tracev3`, big(5)),
      tar([{ path: `${ROOT}/logs/apsd/apsd.2.log`, data: apsdLog(3, 300) }]),
    ]);
    await withTempDir(async (dir) => {
      const { gz, plain, passedOver } = await readBoth(dir, tarBytes);
      expect(gz).toEqual(plain);
      // Everything of the five binary members but the first block each, which the readers are asked about.
      const binary = [1, 2, 3, 4, 5].reduce((n, i) => n + big(i).length - 512, 0);
      expect(passedOver).toBe(binary);
      expect((gz as ReadResult).facts.some((f) => f.name === 'device.log.archive')).toBe(true);
    });
  });

  it('a damaged header after the passed-over data stops the walk: the problem and findings are those of the tar read uncompressed', async () => {
    const body = tar(
      [
        { path: `${ROOT}/logs/apsd/apsd.0.log`, data: apsdLog(0, 300) },
        { path: `${ROOT}/system_logs.logarchive/Persist/0000000000000001.tracev3`, data: incompressible(700_000, 9) },
        { path: `${ROOT}/logs/apsd/apsd.1.log`, data: apsdLog(1, 300) },
        { path: `${ROOT}/system_logs.logarchive/Persist/0000000000000002.tracev3`, data: incompressible(700_000, 10) },
      ],
      { endMarker: true },
    );
    // The header of apsd.1.log: its checksum no longer adds up.
    const at = 512 + apsdLog(0, 300).length + pad(apsdLog(0, 300).length).length + 512 + 700_000 + pad(700_000).length;
    const damaged = Buffer.from(body);
    damaged[at + 10] = damaged[at + 10]! ^ 0x20;
    await withTempDir(async (dir) => {
      const { gz, plain, passedOver } = await readBoth(dir, damaged);
      expect(gz).toEqual(plain);
      expect(passedOver).toBe(700_000 - 512);
      expect((gz as ReadResult).problems.map((p) => p.code)).toContain('archive.corrupt');
    });
  });
});
