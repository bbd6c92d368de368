import { StreamDecoder, textEncoding, type TextEncoding } from '../text/encoding.js';
import type { LineOrigin } from '../text/lineOrigin.js';
import { unwrapperFor, type Unwrapper } from '../text/unwrap.js';
import type { Item } from '../types.js';
import { isInSysdiagnose } from '../sysdiagnose.js';
import { looksLikeDeviceLog } from '../text/recognise.js';
import type { Scan } from './scan.js';
import { andThen, type ChunkSink } from './sink.js';

/**
 * Text in the forms it really arrives in, turned into the plain UTF-8 lines
 * the readers know before any reader is asked: UTF-16 or a UTF-8 BOM (files
 * saved on Windows), and log lines inside a collector's wrapper (text/unwrap.ts).
 * What is neither goes on byte for byte.
 */

/** Bytes looked at to tell a wrapper: a journald record runs to a few KiB. */
const DECIDE_BYTES = 64 << 10;

/** Whether a file whose first bytes are `head` may need normalising (cheap: most members are plainly not). */
export function mayNeedNormalising(head: Buffer, item?: Item): boolean {
  if (textEncoding(head)) return true;
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  const c = head[i];
  // JSON ({ [), a kubectl or CSV export's first digit or letter of a header, Excel's "sep=" line, a syslog prefix.
  if (c === 0x7b || c === 0x5b) return true;
  const text = head.subarray(i, i + 200).toString('latin1');
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}) /.test(text) ||
    // Syslog: RFC 5424, RFC 3164 with or without its <PRI>.
    /^(?:<\d{1,3}>(?:1 )?)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:|^<\d{1,3}>1 /.test(text) ||
    /^"?(?:sep=|[^\n]*\b(?:message|_raw|msg|log)\b"?\s*(?:[,;\t]|\r?\n))/i.test(text) ||
    // A server's or provider's log whose records may run over several lines (text/unwrap.ts): not a device's.
    (/^\[?\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]| - )\d{2}:\d{2}/.test(text) && !(item && isInSysdiagnose(item)) && !looksLikeDeviceLog(head))
  );
}

/**
 * Reads ahead up to DECIDE_BYTES, then decodes and unwraps the text (or lets
 * it through untouched) into `open(normalised)`: a new member sink that sees
 * the plain text as if it were the file. Problems (a file cut inside a
 * character, garbled records) name the file.
 */
export class NormaliseSink implements ChunkSink {
  private head: Buffer[] = [];
  private headLength = 0;
  private target: ChunkSink | undefined;
  private decoder: StreamDecoder | undefined;
  private unwrapper: Unwrapper | undefined;
  /** Plain UTF-8 being unwrapped: a character split between two chunks is carried over. */
  private readonly utf8 = new TextDecoder('utf-8');

  constructor(
    private readonly scan: Scan,
    private readonly item: Item,
    /**
     * The sink for what comes out: `changed` says the bytes differ from the
     * file's (its size no longer holds); `origin`, where its lines come from
     * when they are no longer the file's lines one for one.
     */
    private readonly open: (changed: boolean, origin: LineOrigin | undefined) => ChunkSink & { readonly isDraining?: boolean },
  ) {}

  get isDraining(): boolean {
    return !!(this.target as { isDraining?: boolean } | undefined)?.isDraining;
  }

  write(chunk: Buffer): void | Promise<void> {
    if (this.target) return this.forward(chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength >= DECIDE_BYTES) return this.decide();
  }

  end(): void | Promise<void> {
    return andThen(this.target ? undefined : this.decide(), () => {
      let rest = '';
      if (this.decoder) {
        const { text, truncated } = this.decoder.end();
        rest = text;
        if (truncated)
          this.scan.problem(
            'text.truncated',
            `ends in half a ${this.decoder.encoding.toUpperCase()} character: the file was cut short (or is not ${this.decoder.encoding.toUpperCase()}); read up to there`,
            this.item.member,
          );
      }
      let out = rest;
      if (this.unwrapper && !this.decoder) out = this.utf8.decode();
      if (this.unwrapper) {
        out = this.unwrapper.push(rest) + this.unwrapper.end();
        for (const p of this.unwrapper.problems) this.scan.problem(p.code, p.message, this.item.member);
      }
      return andThen(out ? this.target!.write(Buffer.from(out, 'utf8')) : undefined, () => this.target!.end());
    });
  }

  abort(): void {
    this.target?.abort();
    this.head = [];
  }

  private decide(): void | Promise<void> {
    const all = Buffer.concat(this.head);
    this.head = [];
    const encoding: TextEncoding | undefined = textEncoding(all);
    if (encoding) this.decoder = new StreamDecoder(encoding);
    const headText = encoding ? new StreamDecoder(encoding).decode(all) : all.toString('utf8');
    // Secure Mail's own CSVs have readers that know their columns.
    const name = this.item.member ?? this.item.input;
    if (!/(?:^|\/)CtxLog_[^/]*$/i.test(name)) this.unwrapper = unwrapperFor(headText);
    this.target = this.open(!!(this.decoder || this.unwrapper), this.unwrapper?.origin);
    return this.forward(all);
  }

  private forward(chunk: Buffer): void | Promise<void> {
    if (!this.decoder && !this.unwrapper) return this.target!.write(chunk);
    const text = this.decoder ? this.decoder.decode(chunk) : this.utf8.decode(chunk, { stream: true });
    const out = this.unwrapper ? this.unwrapper.push(text) : text;
    return out ? this.target!.write(Buffer.from(out, 'utf8')) : undefined;
  }
}
