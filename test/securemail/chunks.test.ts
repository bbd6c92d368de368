import { describe, expect, it } from 'vitest';
import { decodeChunks, decodeText } from '../../src/evidence/securemail/decode.js';
import { rowsOf } from '../../src/evidence/securemail/table.js';

/**
 * The events table is decoded in chunks and split into rows across them:
 * whatever falls on a chunk's edge (half of a CRLF, half of a character, a
 * quoted field with a line break), the rows are those of the whole text.
 */
function table(rows: number): string {
  const out = ['Time;Operation;Status;Tenant ID;Listener Token'];
  for (let i = 0; i < rows; i++) {
    // Accents and quoted multi-line statuses, so edges fall inside characters and quoted fields.
    const status = i % 11 ? 'Réussi' : '"Échec:\r\nHTTP 500"';
    out.push(`2016-12-01 10:${String(i % 60).padStart(2, '0')}:00;Enregistrer l’appareil ${i};${status};t;jeton-${i}`);
  }
  return out.join('\r\n');
}

const rowsOfWhole = (text: string) => [...rowsOf(text, ';')].map((r) => [r.line, ...r.cells]);

describe('a table read in chunks gives the rows of the whole text', () => {
  const text = table(20_000);
  it.each([
    ['UTF-8', Buffer.from(text, 'utf8')],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
  ])('%s', (_, buf) => {
    const whole = decodeText(buf);
    const chunked = decodeChunks(buf);
    if (!whole.ok || !chunked.ok) throw new Error('not decoded');
    expect(whole.text).toBe(text);
    expect([...rowsOf(chunked.chunks, ';')].map((r) => [r.line, ...r.cells])).toEqual(rowsOfWhole(text));
  });

  it('a CR LF split across two chunks is one line break', () => {
    const rows = [...rowsOf(['a;b\r', '\nc;d\r', '', '\ne;f\r'], ';')].map((r) => [r.line, ...r.cells]);
    expect(rows).toEqual([
      [1, 'a', 'b'],
      [2, 'c', 'd'],
      [3, 'e', 'f'],
    ]);
  });

  it('binary data is still refused from its first bytes', () => {
    const junk = Buffer.alloc(4096, 1);
    expect(decodeChunks(junk).ok).toBe(false);
    expect(decodeText(junk).ok).toBe(false);
  });
});
