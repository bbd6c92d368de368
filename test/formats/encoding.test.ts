import { readFileSync } from 'node:fs';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { textEncoding } from '../../src/evidence/text/encoding.js';
import { LineOrigin } from '../../src/evidence/text/lineOrigin.js';

/**
 * A log saved as UTF-16 by a Windows tool that writes no BOM is told by the
 * NUL beside each ASCII byte; nothing binary an engineer hands over (a
 * certificate, a binary plist, an archive) is ever taken for it.
 */
describe('UTF-16 without a BOM', () => {
  const log = 'ts=2026-11-20T09:00:00Z level=info service=nanomdm msg=TokenUpdate id=00008110-001A2C3E4F50801E type=Device\r\n';

  it('is told from its NUL bytes, little- and big-endian, accented letters and all', () => {
    expect(textEncoding(Buffer.from(log, 'utf16le'))).toBe('utf-16le');
    expect(textEncoding(Buffer.from(`Gerät ${log}`, 'utf16le').swap16())).toBe('utf-16be');
  });

  it('is not guessed from a few bytes, nor for plain UTF-8 or text in a script without NULs', () => {
    expect(textEncoding(Buffer.from('ok\n', 'utf16le'))).toBeUndefined();
    expect(textEncoding(Buffer.from(log))).toBeUndefined();
    expect(textEncoding(Buffer.from('プッシュ通知が届きません。'.repeat(4), 'utf16le'))).toBeUndefined();
  });

  it('is never said of a PKCS#12 file, a binary plist, a gzip or deflated data', () => {
    for (const name of ['mdm_push_nopass.p12', 'mdm_push_password.p12']) expect(textEncoding(readFileSync(`test/fixtures/apns/${name}`))).toBeUndefined();
    const bplist = Buffer.concat([
      Buffer.from('bplist00'),
      Buffer.from([0xd1, 0x01, 0x02, 0x55, 0x54, 0x6f, 0x70, 0x69, 0x63, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x01]),
    ]);
    expect(textEncoding(bplist)).toBeUndefined();
    expect(textEncoding(gzipSync(log.repeat(20)))).toBeUndefined();
    expect(textEncoding(deflateRawSync(Buffer.from(log, 'utf16le')))).toBeUndefined();
  });
});

describe('the file line an unwrapped line comes from', () => {
  it('follows records of one line, records over many lines, and messages of many lines, looked up in order', () => {
    const o = new LineOrigin();
    // Output lines 1-3 from file lines 1-3; 4-6 from a record at file line 10; 7-8 from lines 11-12; 9 from line 20.
    for (const line of [1, 2, 3, 10, 10, 10, 11, 12, 20]) o.note(line);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => o.of(n))).toEqual([1, 2, 3, 10, 10, 10, 11, 12, 20]);
  });

  it('keeps only a few runs however many records a log holds', () => {
    const o = new LineOrigin();
    let got = 0;
    for (let r = 1; r <= 200_000; r++) {
      // A record of two inner lines every third file line: a run per record.
      o.note(3 * r);
      o.note(3 * r);
      if (o.of(2 * r - 1) === 3 * r && o.of(2 * r) === 3 * r) got++;
    }
    expect(got).toBe(200_000);
    expect((o as unknown as { runs: number[] }).runs.length).toBeLessThan(10_000);
  });
});

describe('the file line of an unwrapped line, asked in any order', () => {
  it('is found for any line not yet passed, as in order', () => {
    const o = new LineOrigin();
    for (const line of [2, 3, 4, 9, 9, 9, 12, 13, 30]) o.note(line);
    expect([9, 1, 5, 7, 2, 8, 3, 6, 4].map((n) => o.lineAt(n))).toEqual([30, 2, 9, 12, 3, 13, 4, 9, 9]);
  });
});
