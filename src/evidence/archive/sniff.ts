/** What the first bytes of some data say it is; names and extensions are never trusted. */
export type ContentKind = 'gzip' | 'tar' | 'zip' | 'other';

/** Bytes needed to recognise every kind ("ustar" sits at offset 257). */
export const SNIFF_BYTES = 512;

export function sniff(head: Buffer): ContentKind {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  // An empty zip is just its end-of-central-directory record.
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x05 && head[3] === 0x06) return 'zip';
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return 'other';
}
