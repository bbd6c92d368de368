/**
 * The tar header block: ustar fields (octal or GNU base-256 numbers, NUL-ended
 * strings, the prefix field), its checksum, and pax records. Pure functions of
 * the bytes; the streaming parser is in tar.ts.
 */
export const BLOCK = 512;

export function isZero(b: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

export function checksumOk(b: Buffer): boolean {
  const stored = readNumber(b, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= 148 && i < 156 ? 32 : b[i]!;
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  return stored === unsigned || stored === signed;
}

/** Octal (NUL/space terminated) or GNU base-256 numbers; -1 when unreadable. */
export function readNumber(b: Buffer, off: number, len: number): number {
  if (b[off]! & 0x80) {
    let v = 0;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + b[i]!;
    return b[off]! & 0x40 ? -1 : v + (b[off]! & 0x3f) * 256 ** (len - 1);
  }
  let v = 0;
  let seen = false;
  for (let i = off; i < off + len; i++) {
    const c = b[i]!;
    if (c === 0 || c === 0x20) {
      if (seen) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) return -1;
    v = v * 8 + (c - 0x30);
    seen = true;
  }
  return v;
}

export function cString(b: Buffer, off: number, len: number): string {
  let end = b.indexOf(0, off);
  if (end < 0 || end > off + len) end = off + len;
  return b.toString('utf8', off, end);
}

export function readString(b: Buffer, off: number, len: number): string {
  return cString(b, off, len);
}

export function readPath(b: Buffer): string {
  const name = cString(b, 0, 100);
  const isUstar = b.toString('latin1', 257, 262) === 'ustar';
  const prefix = isUstar && b[345] !== 0 ? cString(b, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

export function parsePax(data: Buffer): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp < 0) break;
    const len = Number(data.toString('latin1', pos, sp));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) break;
    const rec = data.toString('utf8', sp + 1, pos + len - 1);
    const eq = rec.indexOf('=');
    const key = rec.slice(0, eq);
    const value = rec.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'size' && /^\d+$/.test(value)) out.size = Number(value);
    pos += len;
  }
  return out;
}

export function isUnsafe(name: string): boolean {
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return true;
  for (const seg of name.split(/[\\/]/)) if (seg === '..') return true;
  return false;
}
