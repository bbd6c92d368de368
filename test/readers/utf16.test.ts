import { describe, expect, it } from 'vitest';
import { stringValue } from '../../src/evidence/apns/certExtensions.js';
import { parsePlist } from '../../src/evidence/plist/parse.js';
import { decodeText } from '../../src/evidence/securemail/decode.js';

/** UTF-16 as Windows tools and Apple's plist writers save it: either byte order, with or without a BOM. */
const le = (s: string) => Buffer.from(s, 'utf16le');
const be = (s: string) => le(s).swap16();
const BOM_LE = Buffer.from([0xff, 0xfe]);
const BOM_BE = Buffer.from([0xfe, 0xff]);

describe('Secure Mail files re-saved as UTF-16', () => {
  const csv = 'Time,Operation,Result\n2024-03-01 10:20:00,Register,Succeeded – naïve Ünïcode ✓\n';
  it.each([
    ['UTF-16LE with a BOM', Buffer.concat([BOM_LE, le(csv)]), 'utf-16le'],
    ['UTF-16BE with a BOM', Buffer.concat([BOM_BE, be(csv)]), 'utf-16be'],
    ['UTF-16LE without a BOM', le(csv), 'utf-16le'],
    ['UTF-16BE without a BOM', be(csv), 'utf-16be'],
    ['UTF-16LE cut in the middle of a character', Buffer.concat([BOM_LE, le(csv), Buffer.from([0x41])]), 'utf-16le'],
  ])('%s reads as the same text', (_what, data, encoding) => {
    expect(decodeText(data)).toEqual({ ok: true, text: csv, encoding });
  });
});

describe('XML plists saved as UTF-16', () => {
  const xml = '<?xml version="1.0" encoding="UTF-16"?>\n<plist version="1.0"><dict><key>Topic</key><string>com.apple.mgmt.External.ü</string></dict></plist>\n';
  it.each([
    ['little-endian', Buffer.concat([BOM_LE, le(xml)])],
    ['big-endian', Buffer.concat([BOM_BE, be(xml)])],
  ])('%s, with its BOM', (_what, data) => {
    const r = parsePlist(data);
    expect(r).toMatchObject({ ok: true, format: 'xml', value: { Topic: 'com.apple.mgmt.External.ü' } });
  });
});

describe('certificate strings in a BMPString (UTF-16BE, no BOM)', () => {
  it('decodes one, keeps a leading U+FEFF as text, and refuses an odd length', () => {
    const bmp = (b: Buffer) => stringValue(b, { tag: 0x1e, constructed: false, start: 0, end: b.length, next: b.length });
    expect(bmp(be('com.example.app'))).toBe('com.example.app');
    expect(bmp(be('\uFEFFx'))).toBe('\uFEFFx');
    expect(bmp(Buffer.from([0, 0x41, 0]))).toBeUndefined();
  });
});
