import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { create as tarCreate } from 'tar';
import { describe, expect, it } from 'vitest';
import { scanPath, scanStream } from '../../src/evidence/archive/index.js';
import { readPath, readStream } from '../../src/evidence/read.js';
import { MDM_PLIST, ctxWith, leftoverSpools, recordingReaders, tar, tarHeader, tgz, withTempDir, zip, type TarEntry } from './support.js';
import { built } from '../support/built.js';

const ROOT = 'sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone_21E236';
const PLIST_PATH = `${ROOT}/logs/MCState/Shared/MDM.plist`;
const STUB_PATH = `${ROOT}/logs/MCState/Shared/profile-4d2a6f0e8b1c.stub`;
const LOG_PATH = `${ROOT}/logs/AppSupport/mdmd/mdmd.log`;
const REJECTION =
  '2024-03-01 10:20:00.000000-0800 0x1a  Default  0x0  312  0  mdmd: Rejecting MDM push dictionary because it does not have the right magic string';

/** A small sysdiagnose: MDM.plist and a stub deep in the tree, a log with the magic rejection, and binary noise. */
function sysdiagnoseEntries(): TarEntry[] {
  return [
    { path: `${ROOT}/`, type: 'dir' },
    { path: `${ROOT}/system_logs.logarchive/Persist/0000000000000001.tracev3`, data: Buffer.alloc(300_000, 0xa5) },
    { path: PLIST_PATH, data: MDM_PLIST },
    { path: STUB_PATH, data: MDM_PLIST.replace('PushMagic', 'NotMagic') },
    { path: LOG_PATH, data: `first line\n${REJECTION}\nlast line without newline` },
    { path: `${ROOT}/ps.txt`, data: 'PID COMMAND\n1 launchd\n' },
  ];
}

const names = (facts: { name: string }[]) => facts.map((f) => f.name);

describe('a sysdiagnose .tar.gz is streamed and its members reach the readers', () => {
  it('hands MDM.plist and the stubs to buffer readers and the logs to line readers, with exact member paths', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, `${ROOT}.tar.gz`);
      await writeFile(file, tgz(sysdiagnoseEntries()));
      const r = recordingReaders();
      const res = await scanPath(file, ctxWith(), r.readers);

      expect(res.problems).toEqual([]);
      expect([...r.buffers.keys()].sort()).toEqual([PLIST_PATH, STUB_PATH]);
      expect(r.lines.get(LOG_PATH)).toBe(3);
      expect(r.lines.get(`${ROOT}/ps.txt`)).toBe(2);
      const magic = res.facts.find((f) => f.name === 'device.push_magic')!;
      expect(magic.value).toBe('2A5C84E1-7C0B-4F7E-9B55-3C1F0D2E6A11');
      expect(magic.source).toEqual({ kind: 'file', input: file, member: PLIST_PATH });
      const rejection = res.facts.find((f) => f.name === 'device.log.magic_rejection')!;
      expect(rejection.source).toEqual({ kind: 'file', input: file, member: LOG_PATH, line: 2 });
      // The binary logarchive chunk is drained, not buffered.
      expect(res.counts.drained).toBe(1);
    });
  });

  it('names the device, its OS build and the sysdiagnose time (UTC) from the top folder, once', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'upload.tgz');
      await writeFile(file, tgz(sysdiagnoseEntries()));
      const res = await scanPath(file, ctxWith(), recordingReaders().readers);
      const device = res.facts.filter((f) => f.name.startsWith('device.') && f.attrs?.from === 'sysdiagnose name');
      expect(device.map((f) => [f.name, f.value])).toEqual([
        ['device.sysdiagnose_at', '2024-03-01T18:22:33Z'],
        ['device.platform', 'ios'],
        ['device.os_build', '21E236'],
      ]);
      for (const f of device) expect(f.source).toEqual({ kind: 'file', input: file, member: `${ROOT}/` });
    });
  });

  it('reads an archive written by the tar package (pax headers, long paths) the same way', async () => {
    await withTempDir(async (dir) => {
      const deep = `${ROOT}/logs/MCState/Shared/${'nested-folder-with-a-long-name/'.repeat(4)}profile-0123456789abcdef.stub`;
      for (const [p, data] of [
        [PLIST_PATH, MDM_PLIST],
        [deep, MDM_PLIST],
        [LOG_PATH, `${REJECTION}\n`],
      ] as const) {
        await mkdir(join(dir, 'src', p, '..'), { recursive: true });
        await writeFile(join(dir, 'src', p), data);
      }
      const file = join(dir, 'made-by-tar.tar.gz');
      await tarCreate({ gzip: true, file, cwd: join(dir, 'src'), portable: true }, [ROOT]);
      const r = recordingReaders();
      const res = await scanPath(file, ctxWith(), r.readers);
      expect(res.problems).toEqual([]);
      expect([...r.buffers.keys()].sort()).toEqual([PLIST_PATH, deep].sort());
      expect(deep.length).toBeGreaterThan(155);
      expect(names(res.facts)).toContain('device.log.magic_rejection');
    });
  });

  it('gives the real MDM reader the MDM.plist inside the archive (readPath, project readers)', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, `${ROOT}.tar.gz`);
      await writeFile(file, tgz(sysdiagnoseEntries()));
      const res = await readPath(file, ctxWith());
      const magic = res.facts.find((f) => f.name === 'device.push_magic' && f.source.kind === 'file' && f.source.member === PLIST_PATH);
      expect(magic?.value).toBe('2A5C84E1-7C0B-4F7E-9B55-3C1F0D2E6A11');
    });
  });

  it('gives the same facts when the archive arrives as a stream in small chunks (a Slack download)', async () => {
    await withTempDir(async (dir) => {
      const data = tgz(sysdiagnoseEntries());
      const file = join(dir, 'sd.tgz');
      await writeFile(file, data);
      const fromPath = await scanPath(file, ctxWith(), recordingReaders().readers);
      const pass = new PassThrough();
      const sent = (async () => {
        for (let i = 0; i < data.length; i += 333) {
          if (!pass.write(data.subarray(i, i + 333))) await new Promise((r) => pass.once('drain', r));
        }
        pass.end();
      })();
      const fromStream = await scanStream(file, pass, ctxWith(), data.length, recordingReaders().readers);
      await sent;
      expect(fromStream.facts).toEqual(fromPath.facts);
      expect(fromStream.problems).toEqual([]);
      const viaEntry = await readStream(file, Readable.from([data]), ctxWith());
      expect(viaEntry.facts.some((f) => f.name === 'device.os_build')).toBe(true);
    });
  });

  it('reports progress now and then, not for every chunk', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'sd.tar');
      const data = tar([...sysdiagnoseEntries(), { path: `${ROOT}/big.bin`, data: Buffer.alloc(3 << 20, 1) }]);
      await writeFile(file, data);
      const seen: number[] = [];
      const stages: string[] = [];
      const onProgress = (p: { bytesRead: number; stage: string }) => {
        seen.push(p.bytesRead);
        stages.push(p.stage);
      };
      await scanPath(file, { ...ctxWith(), onProgress }, recordingReaders().readers);
      expect(seen.length).toBeLessThanOrEqual(Math.ceil(data.length / 65536) + 2);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(stages.at(-1)).toBe('done');
      expect(seen.at(-1)).toBe(data.length);
    });
  });
});

describe('other shapes of the same evidence', () => {
  it('walks an extracted sysdiagnose folder and never follows a link out of it', async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, ROOT);
      await mkdir(join(root, 'logs/MCState/Shared'), { recursive: true });
      await mkdir(join(root, 'logs/AppSupport/mdmd'), { recursive: true });
      await writeFile(join(root, 'logs/MCState/Shared/MDM.plist'), MDM_PLIST);
      await writeFile(join(dir, 'outside.plist'), MDM_PLIST);
      await writeFile(join(root, 'logs/AppSupport/mdmd/mdmd.log'), `${REJECTION}\n`);
      await symlink(join(dir, 'outside.plist'), join(root, 'logs/escape.plist'));
      await symlink(join(root, 'logs/MCState/Shared/MDM.plist'), join(root, 'logs/inside.plist'));
      const r = recordingReaders();
      const res = await scanPath(root, ctxWith(), r.readers);
      expect([...r.buffers.keys()].sort()).toEqual(['logs/MCState/Shared/MDM.plist', 'logs/inside.plist']);
      expect(res.problems).toEqual([expect.objectContaining({ input: root, member: 'logs/escape.plist', code: 'folder.link_outside' })]);
      expect(res.facts.find((f) => f.name === 'device.os_build')?.source).toEqual({ kind: 'file', input: root });
      expect(res.facts.find((f) => f.name === 'device.log.magic_rejection')?.source).toEqual({
        kind: 'file',
        input: root,
        member: 'logs/AppSupport/mdmd/mdmd.log',
        line: 1,
      });
    });
  });

  it('reads a plain (uncompressed) tar', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'sd.tar');
      await writeFile(file, tar(sysdiagnoseEntries()));
      const r = recordingReaders();
      const res = await scanPath(file, ctxWith(), r.readers);
      expect(res.problems).toEqual([]);
      expect(r.buffers.has(PLIST_PATH)).toBe(true);
    });
  });

  it('recognises archives by their bytes, whatever their extension says', async () => {
    await withTempDir(async (dir) => {
      const asText = join(dir, 'sysdiagnose.txt');
      await writeFile(asText, tgz(sysdiagnoseEntries()));
      const r = recordingReaders();
      const res = await scanPath(asText, ctxWith(), r.readers);
      expect(res.problems).toEqual([]);
      expect(r.buffers.has(PLIST_PATH)).toBe(true);

      const notAnArchive = join(dir, 'photo.tar.gz');
      await writeFile(notAnArchive, 'just some words, not an archive\n');
      const bad = await scanPath(notAnArchive, ctxWith(), recordingReaders().readers);
      expect(bad.problems).toEqual([expect.objectContaining({ input: notAnArchive, code: 'input.unrecognised' })]);
    });
  });

  it('opens a zip (a Secure Mail bundle, or a sysdiagnose .tar.gz zipped for mail) from a path and from a stream, leaving no temp files', async () => {
    await withTempDir(async (dir) => {
      const inner = tgz(sysdiagnoseEntries());
      const data = zip([
        { path: 'SecureMail/logs/app.log', data: `${REJECTION}\n`, deflate: true },
        { path: 'SecureMail/MDM.plist', data: MDM_PLIST },
        { path: `${ROOT}.tar.gz`, data: inner },
      ]);
      const file = join(dir, 'sysdiagnose_20240301_x_iPhone_21E236.targ.zip');
      await writeFile(file, data);
      const before = await leftoverSpools();
      const r = recordingReaders();
      const res = await scanPath(file, ctxWith(), r.readers);
      expect(res.problems).toEqual([]);
      expect([...r.buffers.keys()].sort()).toEqual(['SecureMail/MDM.plist', `${ROOT}.tar.gz!/${PLIST_PATH}`, `${ROOT}.tar.gz!/${STUB_PATH}`].sort());
      expect(r.lines.get('SecureMail/logs/app.log')).toBe(1);
      expect(res.facts.find((f) => f.name === 'device.os_build')?.source).toEqual({ kind: 'file', input: file, member: `${ROOT}.tar.gz!/${ROOT}/` });

      const streamed = await scanStream(
        'bundle.zip',
        Readable.from([data.subarray(0, 100), data.subarray(100)]),
        ctxWith(),
        undefined,
        recordingReaders().readers,
      );
      expect(streamed.facts.map((f) => [f.name, f.value])).toEqual(res.facts.map((f) => [f.name, f.value]));
      expect(await leftoverSpools()).toEqual(before);
    });
  });
});

describe('archives inside archives', () => {
  it('a Secure Mail zip inside a .tar.gz is spooled, read, and its spool removed', async () => {
    const before = await leftoverSpools();
    const inner = zip([
      { path: 'SecureMail/logs/app.log', data: `${REJECTION}\n`, deflate: true },
      { path: 'SecureMail/MDM.plist', data: MDM_PLIST },
    ]);
    const r = recordingReaders();
    const res = await scanStream(
      'case.tgz',
      Readable.from([
        tgz([
          { path: 'case/bundle.zip', data: inner },
          { path: PLIST_PATH, data: MDM_PLIST },
        ]),
      ]),
      ctxWith(),
      undefined,
      r.readers,
    );
    expect(res.problems).toEqual([]);
    expect([...r.buffers.keys()]).toEqual(['case/bundle.zip!/SecureMail/MDM.plist', PLIST_PATH]);
    expect(res.facts.find((f) => f.name === 'device.log.magic_rejection')?.source).toEqual({
      kind: 'file',
      input: 'case.tgz',
      member: 'case/bundle.zip!/SecureMail/logs/app.log',
      line: 1,
    });
    expect(await leftoverSpools()).toEqual(before);
  });

  it('a rotated .log.gz inside a tar is decompressed and read as its log', async () => {
    const r = recordingReaders();
    const res = await scanStream(
      'sd.tar',
      Readable.from([tar([{ path: `${ROOT}/logs/mdmd.0.log.gz`, data: gzipSync(`${REJECTION}\n`) }])]),
      ctxWith(),
      undefined,
      r.readers,
    );
    expect(res.problems).toEqual([]);
    expect(res.facts.find((f) => f.name === 'device.log.magic_rejection')?.source).toMatchObject({ member: `${ROOT}/logs/mdmd.0.log.gz!/mdmd.0.log`, line: 1 });
  });
});

describe('bad input becomes problems, and what was read before is kept', () => {
  it('a truncated .tar.gz: names the file and the member it broke in', async () => {
    await withTempDir(async (dir) => {
      const data = tgz([
        { path: PLIST_PATH, data: MDM_PLIST },
        { path: `${ROOT}/logs/big.log`, data: `${REJECTION}\n${'x'.repeat(200)}\n${Buffer.alloc(400_000, 0x41).toString()}` },
      ]);
      const file = join(dir, 'cut.tar.gz');
      await writeFile(file, data.subarray(0, Math.floor(data.length * 0.6)));
      const res = await scanPath(file, ctxWith(), recordingReaders().readers);
      expect(res.problems).toHaveLength(1);
      expect(res.problems[0]).toMatchObject({ input: file, code: 'archive.truncated' });
      expect(res.problems[0]!.message).toContain(`${ROOT}/logs/big.log`);
      expect(names(res.facts)).toEqual(expect.arrayContaining(['device.push_magic', 'device.log.magic_rejection']));
    });
  });

  it('a truncated tar: the member cut in half is named, its lines so far still count', async () => {
    await withTempDir(async (dir) => {
      const data = tar([
        { path: PLIST_PATH, data: MDM_PLIST },
        { path: LOG_PATH, data: `${REJECTION}\n${'y'.repeat(5000)}\n` },
      ]);
      const file = join(dir, 'cut.tar');
      await writeFile(file, data.subarray(0, 512 * 5));
      const res = await scanPath(file, ctxWith(), recordingReaders().readers);
      expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.truncated', input: file })]);
      expect(res.problems[0]!.message).toMatch(new RegExp(`${LOG_PATH}.*of 5\\d{3} bytes`));
      expect(names(res.facts)).toEqual(expect.arrayContaining(['device.push_magic', 'device.log.magic_rejection']));
    });
  });

  it('a corrupt tar header stops that archive with a clear problem', async () => {
    const data = tar([
      { path: PLIST_PATH, data: MDM_PLIST },
      { path: LOG_PATH, data: REJECTION },
    ]);
    const second = 512 + Math.ceil(Buffer.byteLength(MDM_PLIST) / 512) * 512;
    data[second + 10] ^= 0xff; // inside the second header's name
    const res = await scanStream('broken.tar', Readable.from([data]), ctxWith(), undefined, recordingReaders().readers);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.corrupt', input: 'broken.tar' })]);
    expect(names(res.facts)).toContain('device.push_magic');
  });

  it('"../" and absolute member paths and link entries are flagged, never read', async () => {
    const r = recordingReaders();
    const res = await scanStream(
      'evil.tgz',
      Readable.from([
        tgz([
          { path: '../../etc/evil.plist', data: MDM_PLIST },
          { path: '/tmp/abs.plist', data: MDM_PLIST },
          { path: `${ROOT}/logs/link.plist`, type: 'symlink', linkTarget: '/etc/passwd' },
          { path: `${ROOT}/logs/hard.plist`, type: 'hardlink', linkTarget: PLIST_PATH },
          { path: PLIST_PATH, data: MDM_PLIST },
        ]),
      ]),
      ctxWith(),
      undefined,
      r.readers,
    );
    expect(res.problems.map((p) => [p.member, p.code])).toEqual([
      ['../../etc/evil.plist', 'archive.unsafe_path'],
      ['/tmp/abs.plist', 'archive.unsafe_path'],
      [`${ROOT}/logs/link.plist`, 'archive.link_skipped'],
      [`${ROOT}/logs/hard.plist`, 'archive.link_skipped'],
    ]);
    expect(res.problems[2]!.message).toContain('/etc/passwd');
    expect([...r.buffers.keys()]).toEqual([PLIST_PATH]);
  });

  it('a decompression bomb (1 GiB of zeros in ~1 MB) stops at maxExpandedBytes', async () => {
    // gzip members may be concatenated: one compressed MiB of zeros, repeated, is 1 GiB once expanded.
    const MiB = 1 << 20;
    const zeros = gzipSync(Buffer.alloc(MiB));
    const parts = [
      gzipSync(tar([{ path: PLIST_PATH, data: MDM_PLIST }], { endMarker: false })),
      gzipSync(tarHeader({ path: `${ROOT}/zeros.log`, size: 1024 * MiB, type: '0' })),
    ].map((b, i) => (i === 1 ? gzipSync(tarHeader({ path: `${ROOT}/zeros.bin`, size: 1024 * MiB, type: '0' })) : b));
    for (let i = 0; i < 1024; i++) parts.push(zeros);
    const res = await scanStream('bomb.tgz', Readable.from(parts), ctxWith({ maxExpandedBytes: 16 * MiB }), undefined, recordingReaders().readers);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.too_large_expanded', input: 'bomb.tgz', member: `${ROOT}/zeros.bin` })]);
    expect(res.counts.expandedBytes).toBeLessThan(20 * MiB);
    expect(names(res.facts)).toContain('device.push_magic');
  });

  it('too many entries stops at maxEntries', async () => {
    const entries: TarEntry[] = [{ path: PLIST_PATH, data: MDM_PLIST }];
    for (let i = 0; i < 50; i++) entries.push({ path: `${ROOT}/f${i}.bin`, data: 'x' });
    const res = await scanStream('many.tar', Readable.from([tar(entries)]), ctxWith({ maxEntries: 10 }), undefined, recordingReaders().readers);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.too_many_entries', member: `${ROOT}/f9.bin` })]);
    expect(res.counts.entries).toBe(11);
    expect(names(res.facts)).toContain('device.push_magic');
  });

  it('a 50 MB single-line log is read with bounded memory: its start is kept, the rest skipped', async () => {
    const MiB = 1 << 20;
    const chunk = gzipSync(Buffer.alloc(MiB, 0x61));
    const parts = [gzipSync(tarHeader({ path: `${ROOT}/one-line.log`, size: 50 * MiB + 1, type: '0' }))];
    for (let i = 0; i < 50; i++) parts.push(chunk);
    parts.push(gzipSync(Buffer.concat([Buffer.from('\n'), Buffer.alloc(511 + 1024)])));
    let seen: string[] = [];
    const reader = recordingReaders();
    const lineReader = {
      ...reader.readers[1]!,
      open: () => ({ line: (t: string) => void seen.push(t), end: () => ({ facts: [], problems: [] }) }),
    } as (typeof reader.readers)[1];
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const res = await scanStream('long.tgz', Readable.from(parts), ctxWith({ maxLineLength: 4096 }), undefined, [lineReader]);
    clearInterval(sampler);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(4096);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'text.line_too_long', member: `${ROOT}/one-line.log` })]);
    expect(res.problems[0]!.message).toContain('line 1');
    expect(peak - before).toBeLessThan(80 * MiB);
    seen = [];
  });

  it('NUL bytes in a log are reported and the text around them is still read', async () => {
    const r = recordingReaders();
    const res = await scanStream('nul.log', Readable.from([Buffer.from(`a\u0000b\n${REJECTION}\n`)]), ctxWith(), undefined, r.readers);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'text.nul', input: 'nul.log' })]);
    expect(names(res.facts)).toContain('device.log.magic_rejection');
  });

  it('a log longer than maxLogBytes is read up to the limit', async () => {
    const r = recordingReaders();
    const text = `${REJECTION}\n${'z\n'.repeat(100_000)}`;
    const res = await scanStream('long.log', Readable.from([Buffer.from(text)]), ctxWith({ maxLogBytes: 10_000 }), undefined, r.readers);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'log.truncated' })]);
    expect(r.lines.get('long.log')).toBeLessThan(6000);
    expect(names(res.facts)).toContain('device.log.magic_rejection');
  });

  it('an empty file, an empty stream and a missing file each get a problem', async () => {
    await withTempDir(async (dir) => {
      const empty = join(dir, 'empty.tar.gz');
      await writeFile(empty, '');
      expect((await scanPath(empty, ctxWith(), recordingReaders().readers)).problems).toEqual([expect.objectContaining({ input: empty, code: 'input.empty' })]);
      expect((await scanStream('empty.log', Readable.from([]), ctxWith(), undefined, recordingReaders().readers)).problems).toEqual([
        expect.objectContaining({ input: 'empty.log', code: 'input.empty' }),
      ]);
      const missing = join(dir, 'nope.tgz');
      const res = await scanPath(missing, ctxWith(), recordingReaders().readers);
      expect(res.problems).toEqual([expect.objectContaining({ input: missing, code: 'input.unreadable' })]);
      expect(res.problems[0]!.message).toContain('no such file');
    });
  });

  it('a file over maxInputBytes is refused up front; a stream is stopped when it passes the limit', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'sd.tgz');
      const data = tgz(sysdiagnoseEntries());
      await writeFile(file, data);
      expect((await scanPath(file, ctxWith({ maxInputBytes: 100 }), recordingReaders().readers)).problems).toEqual([
        expect.objectContaining({ code: 'input.too_large' }),
      ]);
      const res = await scanStream(
        'sd.tgz',
        Readable.from([data.subarray(0, 200), data.subarray(200)]),
        ctxWith({ maxInputBytes: 300 }),
        undefined,
        recordingReaders().readers,
      );
      expect(res.problems).toEqual([expect.objectContaining({ code: 'input.too_large' })]);
    });
  });

  it('a plist over maxMemberBytes is not buffered', async () => {
    const r = recordingReaders();
    const res = await scanStream(
      'sd.tar',
      Readable.from([tar([{ path: PLIST_PATH, data: MDM_PLIST }])]),
      ctxWith({ maxMemberBytes: 100 }),
      undefined,
      r.readers,
    );
    expect(res.problems).toEqual([expect.objectContaining({ code: 'member.too_large', member: PLIST_PATH })]);
    expect(r.buffers.size).toBe(0);
  });

  it('a zip bomb is stopped by the sizes its directory declares, and too many entries by the count', async () => {
    const MiB = 1 << 20;
    const bomb = zip([
      { path: 'a/MDM.plist', data: MDM_PLIST },
      { path: 'a/zeros.log', data: Buffer.alloc(64 * MiB), deflate: true },
    ]);
    expect(bomb.length).toBeLessThan(MiB);
    const r = recordingReaders();
    const res = await scanStream('bomb.zip', Readable.from([bomb]), ctxWith({ maxExpandedBytes: 8 * MiB }), undefined, r.readers);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.too_large_expanded', member: 'a/zeros.log' })]);
    expect(r.buffers.has('a/MDM.plist')).toBe(true);

    // A directory that understates a member's size is caught while inflating.
    const liar = zip([{ path: 'a/zeros.log', data: Buffer.alloc(MiB), deflate: true, declaredSize: 1000 }]);
    const lied = await scanStream('liar.zip', Readable.from([liar]), ctxWith(), undefined, recordingReaders().readers);
    expect(lied.problems).toEqual([expect.objectContaining({ code: 'archive.corrupt', member: 'a/zeros.log' })]);

    const many = zip(Array.from({ length: 20 }, (_, i) => ({ path: `f${i}.txt`, data: 'x' })));
    const counted = await scanStream('many.zip', Readable.from([many]), ctxWith({ maxEntries: 5 }), undefined, recordingReaders().readers);
    expect(counted.problems).toEqual([expect.objectContaining({ code: 'archive.too_many_entries' })]);
    expect(counted.problems[0]!.message).toContain('20 entries');
  });

  it('zip members with "../" paths or symlink modes are flagged', async () => {
    const data = zip([
      { path: '../evil.plist', data: MDM_PLIST },
      { path: 'link.plist', data: '/etc/passwd', mode: 0o120777 },
      { path: 'ok/MDM.plist', data: MDM_PLIST },
    ]);
    const r = recordingReaders();
    const res = await scanStream('evil.zip', Readable.from([data]), ctxWith(), undefined, r.readers);
    expect(res.problems.map((p) => [p.member, p.code])).toEqual([
      ['../evil.plist', 'archive.unsafe_path'],
      ['link.plist', 'archive.link_skipped'],
    ]);
    expect([...r.buffers.keys()]).toEqual(['ok/MDM.plist']);
  });

  it('a stream that stalls is stopped by the time limit', async () => {
    const stalled = new PassThrough();
    stalled.write(tgz(sysdiagnoseEntries()).subarray(0, 40)); // then nothing more, ever
    const t = performance.now();
    const res = await scanStream('slow.tgz', stalled, ctxWith({ timeoutMs: 300 }), undefined, recordingReaders().readers);
    expect(performance.now() - t).toBeLessThan(3000);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'input.timeout', input: 'slow.tgz' })]);
  });

  it('a cancelled read stops with a problem', async () => {
    const stalled = new PassThrough();
    stalled.write(Buffer.from('hello\n'));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const res = await scanStream('cancel.log', stalled, { ...ctxWith(), signal: ac.signal }, undefined, recordingReaders().readers);
    expect(res.problems).toEqual([expect.objectContaining({ code: 'input.cancelled' })]);
  });
});

describe('reading never writes outside the temp dir', () => {
  it('leaves the working folder untouched and removes its zip spool', async () => {
    await withTempDir(async (dir) => {
      const work = join(dir, 'cwd');
      const tmp = join(dir, 'tmp');
      await mkdir(work);
      await mkdir(tmp);
      const zipFile = join(dir, 'bundle.zip');
      await writeFile(
        zipFile,
        zip([
          { path: 'x/MDM.plist', data: MDM_PLIST },
          { path: 'x/sd.tgz', data: tgz(sysdiagnoseEntries()) },
        ]),
      );
      const { execFileSync } = await import('node:child_process');
      const out = execFileSync(process.execPath, [built('readChild'), zipFile], {
        cwd: work,
        env: { ...process.env, TMPDIR: tmp },
        encoding: 'utf8',
      });
      const counts = JSON.parse(out.trim().split('\n').pop()!) as { a: number; b: number };
      expect(counts.a).toBeGreaterThan(0);
      expect(counts.a).toBe(counts.b);
      const { readdir } = await import('node:fs/promises');
      expect(await readdir(work)).toEqual([]);
      expect((await readdir(tmp)).filter((n) => n.startsWith('pushcheck'))).toEqual([]);
    });
  });
});
