/**
 * How a text file's bytes are encoded, from its byte order mark. Windows
 * Notepad and PowerShell's `Out-File` save logs as UTF-16 with a BOM, and
 * many Windows editors put a BOM before UTF-8: the readers expect UTF-8
 * lines, so such a file is decoded first (see archive/normalise.ts).
 */
export type TextEncoding = 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/**
 * The encoding of text that starts with `head`: the one its BOM names, else
 * UTF-16 told by its NUL bytes (`head` of a few hundred bytes or more), else
 * undefined for plain UTF-8 (or anything else).
 */
export function textEncoding(head: Buffer): TextEncoding | undefined {
  return bomEncoding(head) ?? nulPattern(head);
}

/** Bytes a character of text may have in UTF-16 beside its NUL: tab, line ends, printable ASCII, Latin-1. */
function isTextByte(b: number): boolean {
  return b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0xa0;
}

/**
 * UTF-16 without a BOM (PowerShell's `Out-File -Encoding Unicode` piped on,
 * a log cut from the middle of a UTF-16 file, .NET's `Encoding.Unicode`
 * writers): text in Latin script is a NUL after (LE) or before (BE) each
 * byte of ASCII. Said only when nearly every pair of the head is so, and no
 * pair is two NULs, which binary data (a DER certificate, a binary plist)
 * never keeps up for long.
 */
function nulPattern(head: Buffer): TextEncoding | undefined {
  const pairs = Math.min(head.length, 4096) >> 1;
  if (pairs < 8) return undefined;
  // UTF-16 of Latin script has a NUL in every other byte: a head with none is settled by one native scan.
  const zero = head.indexOf(0);
  if (zero < 0 || zero >= 2 * pairs) return undefined;
  let le = 0;
  let be = 0;
  // Most heads are plain text or binary: a tenth of the pairs unlike UTF-16 settles it (this runs on every member's head).
  const misses = pairs / 10;
  for (let i = 0; i < pairs; i++) {
    const a = head[2 * i]!;
    const b = head[2 * i + 1]!;
    if (a === 0 && b === 0) return undefined;
    if (b === 0 && isTextByte(a)) le++;
    else if (a === 0 && isTextByte(b)) be++;
    else if (i + 1 - le - be > misses) return undefined;
  }
  if (le >= pairs * 0.9) return 'utf-16le';
  if (be >= pairs * 0.9) return 'utf-16be';
  return undefined;
}

/** The encoding a BOM at the start of `head` names, or undefined for plain UTF-8 (or anything else). */
function bomEncoding(head: Buffer): TextEncoding | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    // FF FE 00 00 is UTF-32 LE, which no tool hands over as a log: not ours to guess at.
    if (head.length >= 4 && head[2] === 0 && head[3] === 0) return undefined;
    return 'utf-16le';
  }
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * Decodes a stream of chunks in one encoding, dropping the BOM. A character
 * split between two chunks is carried over by the decoder; one cut off by the
 * end of the file is said by `truncated`.
 */
export class StreamDecoder {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  /** Bytes seen, for UTF-16: an odd count at the end is half a character. */
  private bytes = 0;

  constructor(readonly encoding: TextEncoding) {
    // The decoder drops the BOM itself (ignoreBOM: false).
    this.decoder = new TextDecoder(encoding === 'utf-8-bom' ? 'utf-8' : encoding);
  }

  decode(chunk: Buffer): string {
    this.bytes += chunk.length;
    return this.decoder.decode(chunk, { stream: true });
  }

  /** What is left at the end, and whether the file ended inside a character. */
  end(): { text: string; truncated: boolean } {
    const odd = this.encoding !== 'utf-8-bom' && this.bytes % 2 === 1;
    let text = this.decoder.decode();
    // The decoder turns a last odd byte into U+FFFD: it is half a character, not text.
    if (odd && text.endsWith('\uFFFD')) text = text.slice(0, -1);
    return { text, truncated: odd };
  }
}
