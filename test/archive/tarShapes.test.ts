import { Readable } from 'node:stream';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanStream } from '../../src/evidence/archive/index.js';
import { MDM_PLIST, ctxWith, recordingReaders, tar, tarHeader } from './support.js';

/**
 * The shapes tar data takes besides plain ustar (pax and GNU long names), and
 * the ways it is cut short or made hostile. Each is read from a stream, as a
 * Slack download arrives.
 */
const ROOT = 'sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone_21E236';
const PLIST_PATH = `${ROOT}/logs/MCState/Shared/MDM.plist`;
const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
const END = Buffer.alloc(1024);

/** One pax record per key, as POSIX writes them: "<length> <key>=<value>\n", the length counting itself. */
function paxEntry(records: Record<string, string>, type = 'x'): Buffer {
  let body = '';
  for (const [k, v] of Object.entries(records)) {
    const rest = ` ${k}=${v}\n`;
    let n = Buffer.byteLength(rest) + 1;
    while (String(n).length + Buffer.byteLength(rest) !== n) n++;
    body += `${n}${rest}`;
  }
  const data = Buffer.from(body);
  return Buffer.concat([tarHeader({ path: 'PaxHeader/x', size: data.length, type }), pad(data)]);
}

function fileEntry(path: string, data: string | Buffer, extra: { linkTarget?: string } = {}): Buffer {
  const b = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return Buffer.concat([tarHeader({ path, size: b.length, type: '0', ...extra }), pad(b)]);
}

async function scan(name: string, data: Buffer) {
  const r = recordingReaders();
  const res = await scanStream(name, Readable.from([data]), ctxWith(), undefined, r.readers);
  return { ...res, buffers: r.buffers };
}

describe('tar data in the shapes real tools write', () => {
  it('a pax path record names the member after it (paths past 255 bytes)', async () => {
    const long = `${ROOT}/logs/MCState/Shared/${'a-folder-name-well-past-the-ustar-limits/'.repeat(8)}MDM.plist`;
    const res = await scan('pax.tar', Buffer.concat([paxEntry({ path: long }), fileEntry('short-name.plist', MDM_PLIST), END]));
    expect(res.problems).toEqual([]);
    expect([...res.buffers.keys()]).toEqual([long]);
  });

  it('a GNU long-name record (type L) names the member after it', async () => {
    const long = `${ROOT}/logs/${'x'.repeat(180)}/MDM.plist`;
    const name = Buffer.from(`${long}\0`);
    const gnu = Buffer.concat([tarHeader({ path: '././@LongLink', size: name.length, type: 'L' }), pad(name)]);
    const res = await scan('gnu.tar', Buffer.concat([gnu, fileEntry('cut-name.plist', MDM_PLIST), END]));
    expect(res.problems).toEqual([]);
    expect([...res.buffers.keys()]).toEqual([long]);
  });

  it.each([1, 100, 511, 512, 513, 4096 + 7])('the same members and lines when the data arrives in pieces of %i bytes', async (size) => {
    const data = Buffer.concat([
      paxEntry({ path: `${ROOT}/${'long-folder-name/'.repeat(12)}MDM.plist` }),
      fileEntry('x', MDM_PLIST),
      fileEntry(`${ROOT}/logs/mdmd.log`, 'one\ntwo does not have the right magic string\nthree\n'.repeat(40)),
      fileEntry(PLIST_PATH, MDM_PLIST),
      END,
    ]);
    const pieces: Buffer[] = [];
    for (let at = 0; at < data.length; at += size) pieces.push(data.subarray(at, at + size));
    const r = recordingReaders();
    const res = await scanStream('pieces.tar', Readable.from(pieces), ctxWith(), undefined, r.readers);
    expect(res.problems).toEqual([]);
    expect([...r.buffers.keys()]).toEqual([`${ROOT}/${'long-folder-name/'.repeat(12)}MDM.plist`, PLIST_PATH]);
    expect(r.lines.get(`${ROOT}/logs/mdmd.log`)).toBe(120);
  });

  it('whatever follows the end-of-archive marker is never read', async () => {
    const after = tar([{ path: `${ROOT}/evil/MDM.plist`, data: MDM_PLIST }]);
    const res = await scan('trailing.tar', Buffer.concat([fileEntry(PLIST_PATH, MDM_PLIST), END, after, Buffer.alloc(2 << 20, 0x41)]));
    expect(res.problems).toEqual([]);
    expect([...res.buffers.keys()]).toEqual([PLIST_PATH]);
  });
});

describe('tar data cut short: what was read is kept and the cut is named', () => {
  const whole = Buffer.concat([fileEntry(PLIST_PATH, MDM_PLIST), fileEntry(`${ROOT}/second.plist`, 'x'.repeat(700)), END]);
  const secondHeader = 512 + pad(Buffer.from(MDM_PLIST)).length;

  it.each([
    [
      'inside the padding after the last member',
      secondHeader + 512 + 700 + 100,
      /ends inside the padding after .*second\.plist/,
      [PLIST_PATH, `${ROOT}/second.plist`],
    ],
    ['inside an entry header', secondHeader + 200, /ends in the middle of an entry header after 1 members/, [PLIST_PATH]],
    ['inside a member', secondHeader + 512 + 300, /ends in the middle of .*second\.plist \(300 of 700 bytes present\)/, [PLIST_PATH]],
    [
      'before the end-of-archive marker',
      secondHeader + 512 + 1024,
      /ends after 2 members without its end-of-archive marker/,
      [PLIST_PATH, `${ROOT}/second.plist`],
    ],
  ])('%s', async (_what, at, message, read) => {
    const res = await scan('cut.tar', whole.subarray(0, at));
    expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.truncated', input: 'cut.tar', message: expect.stringMatching(message) })]);
    expect([...res.buffers.keys()]).toEqual(read);
  });

  it('inside a pax record: counted as a cut header', async () => {
    const data = Buffer.concat([fileEntry(PLIST_PATH, MDM_PLIST), paxEntry({ path: 'a'.repeat(3000) })]);
    const res = await scan('cut-pax.tar', data.subarray(0, data.length - 1024));
    expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.truncated', message: expect.stringMatching(/entry header after 1 members/) })]);
    expect([...res.buffers.keys()]).toEqual([PLIST_PATH]);
  });
});

describe('hostile tar data', () => {
  it('a damaged header stops the archive: no block after it is taken for a header', async () => {
    const bad = fileEntry(`${ROOT}/bad.plist`, MDM_PLIST);
    bad[20] ^= 0xff;
    const res = await scan('damaged.tar', Buffer.concat([fileEntry(PLIST_PATH, MDM_PLIST), bad, fileEntry(`${ROOT}/after.plist`, MDM_PLIST), END]));
    expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.corrupt', message: expect.stringContaining('checksum mismatch') })]);
    expect([...res.buffers.keys()]).toEqual([PLIST_PATH]);
  });

  it("a tar inside a member is read as that member's archive, never as members of the outer one", async () => {
    // A file whose header also names a link target: read as a file, as GNU tar reads it.
    const inner = tar([{ path: `${ROOT}/smuggled/MDM.plist`, data: MDM_PLIST }]);
    const res = await scan('smuggle.tar', Buffer.concat([fileEntry(PLIST_PATH, MDM_PLIST), fileEntry(`${ROOT}/carrier.bin`, inner, { linkTarget: 'x' }), END]));
    expect(res.problems).toEqual([]);
    expect([...res.buffers.keys()]).toEqual([PLIST_PATH, `${ROOT}/carrier.bin!/${ROOT}/smuggled/MDM.plist`]);
  });

  it('a symbolic link with no target is flagged and the archive reads on', async () => {
    const res = await scan('links.tar', Buffer.concat([tarHeader({ path: `${ROOT}/empty-link`, size: 0, type: '2' }), fileEntry(PLIST_PATH, MDM_PLIST), END]));
    expect(res.problems).toEqual([
      expect.objectContaining({ code: 'archive.link_skipped', member: `${ROOT}/empty-link`, message: expect.stringContaining('to nothing') }),
    ]);
    expect([...res.buffers.keys()]).toEqual([PLIST_PATH]);
  });

  it('a pax record over 1 MiB is not believed', async () => {
    const res = await scan(
      'huge-pax.tar',
      Buffer.concat([fileEntry(PLIST_PATH, MDM_PLIST), paxEntry({ comment: 'c'.repeat(1 << 21) }), fileEntry(`${ROOT}/after.plist`, MDM_PLIST), END]),
    );
    expect(res.problems).toEqual([expect.objectContaining({ code: 'archive.corrupt', message: expect.stringMatching(/extended header .*is not believable/) })]);
    expect([...res.buffers.keys()]).toEqual([PLIST_PATH]);
  });

  it('gzip data that also passes for tar is opened as gzip, where its expansion is charged to the limit', async () => {
    // A gzip stream whose extra field puts "ustar" at byte 257, so it passes for tar data.
    const inner = tar([{ path: `${ROOT}/inner/MDM.plist`, data: MDM_PLIST }]);
    const extra = Buffer.alloc(300);
    extra.write('ustar', 257 - 12, 'latin1');
    const head = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, extra.length & 0xff, extra.length >> 8]);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(inner), 0);
    trailer.writeUInt32LE(inner.length, 4);
    const disguised = Buffer.concat([head, extra, deflateRawSync(inner), trailer]);
    expect(disguised.toString('latin1', 257, 262)).toBe('ustar');
    const res = await scan('disguised.gz', gzipSync(disguised));
    expect(res.problems).toEqual([]);
    expect([...res.buffers.keys()]).toEqual([`disguised!/${ROOT}/inner/MDM.plist`]);
    expect(res.counts.expandedBytes).toBe(disguised.length + inner.length);
  });
});
