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
  // Nearly every head is plain text with no zero byte at all: one native scan says so (this runs on every member).
  const zero = buf.indexOf(0);
  if (zero < 0 || zero >= n) return null;
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

type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** The encoding of `buf` (a BOM, else zeros in every other byte), and where its text starts. */
function encodingOf(buf: Buffer): { encoding: Encoding; start: number } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf-8-bom', start: 3 };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', start: 0 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', start: 0 };
  return { encoding: guessUtf16(buf) ?? 'utf-8', start: 0 };
}

function decodeAll(buf: Buffer, encoding: Encoding, start: number): string {
  if (encoding === 'utf-16le') return utf16(buf, UTF16LE);
  if (encoding === 'utf-16be') return utf16(buf, UTF16BE);
  return buf.subarray(start).toString('utf8');
}

function notText(junk: number): { ok: false; reason: string } {
  return { ok: false, reason: `is not text (${Math.round(junk * 100)}% of the first characters are binary or undecodable)` };
}

export function decodeText(buf: Buffer): Decoded {
  const { encoding, start } = encodingOf(buf);
  const text = decodeAll(buf, encoding, start);
  const junk = junkRatio(text);
  if (junk > 0.02) return notText(junk);
  return { ok: true, text, encoding };
}

/** Bytes of the first chunk: enough to hold the 64K characters junkRatio samples, in any encoding. */
const FIRST_CHUNK_BYTES = 256 * 1024;
/**
 * Bytes of each later chunk. Small on purpose: strings this size die young and
 * cheaply, where megabyte strings go straight to the large-object space and
 * stay there (in RSS) until a full collection.
 */
const CHUNK_BYTES = 32 * 1024;

/** Decodes just enough of the first bytes to look for a marker, whatever the encoding. */
export function headText(head: Buffer): string {
  const d = decodeText(head.length % 2 && (head[0] === 0xff || head[0] === 0xfe) ? head.subarray(0, head.length - 1) : head);
  return d.ok ? d.text : head.toString('latin1');
}

/**
 * The same text as decodeText, as a series of short strings, from bytes
 * that arrive in pieces: a 30 MB table is never one 30 MB string next to its
 * 30 MB buffer. The first bytes are gathered until they tell
 * the encoding and hold the sample the junk test reads; after that each
 * piece is decoded as it comes, and only a byte that cannot be decoded yet
 * (half of a UTF-16 unit) waits for the next. The first chunk's text is the
 * one the junk test and the delimiter are told from.
 */
export class TextPieces {
  private head: Buffer[] = [];
  private headLength = 0;
  private decoder?: InstanceType<typeof TextDecoder>;
  private utf16 = false;
  /** The last byte of UTF-16 text while it is the odd one (decodeText drops a last odd byte). */
  private odd?: Buffer;
  private ended = false;
  /** The first chunk's text once the encoding is known, or why the bytes are not text. */
  result?: { ok: true; first: string } | { ok: false; reason: string };

  /** Takes the next bytes (copied where kept); the text decoded from them goes to `out`. */
  add(chunk: Buffer, out: string[]): void {
    if (this.result && !this.result.ok) return;
    if (!this.decoder) {
      this.head.push(Buffer.from(chunk));
      this.headLength += chunk.length;
      // One byte past the first chunk (after a BOM of up to 3) shows that more follows it.
      if (this.headLength > 3 + FIRST_CHUNK_BYTES) this.start(out);
      return;
    }
    this.decode(chunk, out);
  }

  /** The bytes ended: what the decoder still holds goes to `out`. */
  end(out: string[]): void {
    this.ended = true;
    if (!this.decoder) this.start(out);
    if (!this.result?.ok) return;
    const rest = this.decoder!.decode();
    if (rest) out.push(rest);
  }

  private start(out: string[]): void {
    const buf = Buffer.concat(this.head);
    this.head = [];
    const { encoding, start } = encodingOf(buf);
    this.utf16 = encoding === 'utf-16le' || encoding === 'utf-16be';
    this.decoder = new TextDecoder(this.utf16 ? encoding : 'utf-8');
    const end = this.utf16 ? buf.length & ~1 : buf.length;
    const firstEnd = Math.min(end, start + FIRST_CHUNK_BYTES);
    const first = this.decoder.decode(buf.subarray(start, firstEnd), { stream: !this.ended || firstEnd < end });
    const junk = junkRatio(first);
    if (junk > 0.02) {
      this.result = notText(junk);
      return;
    }
    this.result = { ok: true, first };
    out.push(first);
    if (firstEnd < buf.length) this.decode(buf.subarray(firstEnd), out);
  }

  private decode(chunk: Buffer, out: string[]): void {
    let bytes = chunk;
    if (this.utf16) {
      if (this.odd) {
        bytes = Buffer.concat([this.odd, chunk]);
        this.odd = undefined;
      }
      if (bytes.length & 1) {
        this.odd = Buffer.from(bytes.subarray(bytes.length - 1));
        bytes = bytes.subarray(0, bytes.length - 1);
      }
    }
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) out.push(this.decoder!.decode(bytes.subarray(at, at + CHUNK_BYTES), { stream: true }));
  }
}
