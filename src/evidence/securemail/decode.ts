/**
 * Secure Mail's log bundle is written on the device, but people open and
 * re-save its CSVs in Excel on Windows, which writes UTF-16 with a BOM. So
 * every Secure Mail reader decodes through here instead of assuming UTF-8.
 */
export type Decoded = { ok: true; text: string; encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' } | { ok: false; reason: string };

const UTF16LE = new TextDecoder('utf-16le');
const UTF16BE = new TextDecoder('utf-16be');

/** UTF-16 text, without the BOM (the decoder drops it) and without a last odd byte (a file cut mid-character). */
function utf16(buf: Buffer, decoder: typeof UTF16LE): string {
  return decoder.decode(buf.subarray(0, buf.length & ~1));
}

/** UTF-16 without a BOM shows up as a zero in every other byte of ASCII text. */
function guessUtf16(buf: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(buf.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++;
    if (buf[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/** Share of characters in a sample that no text file holds (controls, NUL, undecodable bytes). */
function junkRatio(text: string): number {
  const sample = text.slice(0, 65536);
  if (!sample.length) return 0;
  let junk = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) junk++;
  }
  return junk / sample.length;
}

export function decodeText(buf: Buffer): Decoded {
  let text: string;
  let encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    text = buf.subarray(3).toString('utf8');
    encoding = 'utf-8-bom';
  } else if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
    text = utf16(buf, UTF16LE);
    encoding = 'utf-16le';
  } else if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    text = utf16(buf, UTF16BE);
    encoding = 'utf-16be';
  } else {
    const guess = guessUtf16(buf);
    if (guess === 'utf-16le') text = utf16(buf, UTF16LE);
    else if (guess === 'utf-16be') text = utf16(buf, UTF16BE);
    else text = buf.toString('utf8');
    encoding = guess ?? 'utf-8';
  }
  const junk = junkRatio(text);
  if (junk > 0.02) return { ok: false, reason: `is not text (${Math.round(junk * 100)}% of the first characters are binary or undecodable)` };
  return { ok: true, text, encoding };
}

/** Decodes just enough of the first bytes to look for a marker, whatever the encoding. */
export function headText(head: Buffer): string {
  const d = decodeText(head.length % 2 && (head[0] === 0xff || head[0] === 0xfe) ? head.subarray(0, head.length - 1) : head);
  return d.ok ? d.text : head.toString('latin1');
}
