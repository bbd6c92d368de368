import { describe, expect, it } from 'vitest';
import { decodeText, TextPieces } from '../../src/evidence/securemail/decode.js';
import { MORE_TEXT, rowsOf, TextQueue } from '../../src/evidence/securemail/table.js';

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

/** The bytes handed over `size` at a time, as a download or an archive member gives them: the text and its rows. */
function inPieces(buf: Buffer, size: number): { text: string; rows: (string | number)[][]; refused?: string } {
  const decoder = new TextPieces();
  const queue = new TextQueue(';');
  const text: string[] = [];
  const rows: (string | number)[][] = [];
  const take = (pieces: string[]) => {
    for (const p of pieces) text.push(p);
    queue.add(pieces);
    for (let r = queue.rows.next(); !r.done && r.value !== MORE_TEXT; r = queue.rows.next()) rows.push([r.value.line, ...r.value.cells]);
  };
  for (let at = 0; at < buf.length; at += size) {
    const pieces: string[] = [];
    decoder.add(buf.subarray(at, at + size), pieces);
    take(pieces);
  }
  const pieces: string[] = [];
  decoder.end(pieces);
  queue.end();
  take(pieces);
  const r = decoder.result;
  return { text: text.join(''), rows, ...(r && !r.ok ? { refused: r.reason } : {}) };
}

describe('a table read as its bytes arrive gives the rows of the whole text', () => {
  const big = table(20_000);
  const small = table(300);
  const bom8 = Buffer.from([0xef, 0xbb, 0xbf]);
  const bom16 = Buffer.from([0xff, 0xfe]);
  const be = (text: string) => Buffer.from(text, 'utf16le').swap16();
  it.each([
    ['UTF-8', big, Buffer.from(big, 'utf8'), [65_536, 262_147, 1 << 20]],
    ['UTF-8 with a BOM', big, Buffer.concat([bom8, Buffer.from(big, 'utf8')]), [4096, 262_145, 1 << 20]],
    ['UTF-16LE with a BOM', big, Buffer.concat([bom16, Buffer.from(big, 'utf16le')]), [4095, 262_147, 1 << 20]],
    ['UTF-16BE without a BOM', big, be(big), [65_537, 1 << 20]],
    ['UTF-8, a byte at a time', small, Buffer.from(small, 'utf8'), [1, 3]],
    ['UTF-16LE, a byte at a time, cut after an odd byte', small, Buffer.concat([bom16, Buffer.from(small, 'utf16le'), Buffer.from([0x41])]), [1, 7]],
  ])('%s', (_, text, buf, sizes) => {
    const whole = decodeText(buf);
    if (!whole.ok) throw new Error('not decoded');
    expect(whole.text).toBe(text);
    for (const size of sizes) {
      const got = inPieces(buf, size);
      expect(got.text).toBe(text);
      expect(got.rows).toEqual(rowsOfWhole(text));
    }
  });

  it('a CR LF split across two chunks is one line break', () => {
    const rows = [...rowsOf(['a;b\r', '\nc;d\r', '', '\ne;f\r'], ';')].map((r) => [r.line, ...r.cells]);
    expect(rows).toEqual([
      [1, 'a', 'b'],
      [2, 'c', 'd'],
      [3, 'e', 'f'],
    ]);
  });

  it('a quoted field still open at the end of the text so far waits for the rest', () => {
    const queue = new TextQueue(';');
    queue.add(['a;"b\r', '\nc"']);
    expect(queue.rows.next().value).toBe(MORE_TEXT);
    queue.add([';d\r\ne;f']);
    queue.end();
    expect([...queue.rows].map((r) => (r === MORE_TEXT ? r : [r.line, ...r.cells]))).toEqual([
      [1, 'a', 'b\nc', 'd'],
      [3, 'e', 'f'],
    ]);
  });

  it('binary data is still refused from its first bytes', () => {
    const junk = Buffer.alloc(4096, 1);
    expect(inPieces(junk, 1000).refused).toMatch(/is not text/);
    expect(decodeText(junk).ok).toBe(false);
  });
});
