import { StreamDecoder, textEncoding } from '../text/encoding.js';
import type { Item, ReadResult } from '../types.js';
import { pastedValues } from './reader.js';

/**
 * A file this small that no reader recognised may be what a person would
 * otherwise paste: the server's topic, PushMagic and token saved to a .txt
 * and given as a path or uploaded. Anything larger is a log, not values.
 */
export const MAX_VALUES_FILE_BYTES = 64 * 1024;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Whether bytes are text a person wrote: valid UTF-8, no NUL, hardly any control characters. */
function isText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  let text: string;
  try {
    text = UTF8.decode(data);
  } catch {
    return false;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: counting control characters is the point
  const controls = text.match(/[\u0001-\u0008\u000b\u000e-\u001f\u007f]/g)?.length ?? 0;
  return controls <= text.length / 100;
}

/**
 * Keeps the first bytes of an input while it streams by, so a small file
 * can be read again as values once every reader has passed it over.
 * Holds at most MAX_VALUES_FILE_BYTES + 1 bytes, whatever the input's size.
 */
export class ValuesFileHead {
  private chunks: Buffer[] = [];
  private length = 0;
  private over = false;

  add(chunk: Buffer): void {
    if (this.over) return;
    if (this.length + chunk.length > MAX_VALUES_FILE_BYTES) {
      this.over = true;
      this.chunks = [];
      return;
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The whole input, when it was small enough to be values; undefined otherwise. */
  whole(): Buffer | undefined {
    return this.over || !this.length ? undefined : Buffer.concat(this.chunks);
  }
}

/**
 * A fact that says only that a text reader took the file for a log and found nothing of the push path in it
 * (`device.log.mdm_lines` 0): plutil -p output of MDM.plist has dated lines ("LastPollingSuccess" => 2026-…)
 * that a log reader recognises. It does not make the file a log whose values may be passed over.
 */
export const saysNothing = (f: { name: string; value: unknown }) => f.name === 'device.log.mdm_lines' && f.value === 0;

/**
 * The values in a small text file, read as a paste would be, but placed by
 * the file's name and line (not "pasted by the user"). Empty when the file
 * is not text or holds no values.
 */
export function valuesFromFile(data: Buffer, item: Item): ReadResult {
  if (data.length > MAX_VALUES_FILE_BYTES) return { facts: [], problems: [] };
  // Saved by Notepad or PowerShell: UTF-16, or UTF-8 behind a BOM.
  const encoding = textEncoding(data);
  if (encoding) {
    const decoder = new StreamDecoder(encoding);
    data = Buffer.from(decoder.decode(data) + decoder.end().text, 'utf8');
  }
  if (!isText(data)) return { facts: [], problems: [] };
  const file: Item = { input: item.input, ...(item.member ? { member: item.member } : {}) };
  return pastedValues(data, file);
}
