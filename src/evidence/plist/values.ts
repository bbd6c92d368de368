/**
 * The value tree a plist decodes to, the same for XML and binary input:
 * Data is always a Buffer, dates are Date objects (possibly invalid), large
 * integers may be bigint.
 */
export type PlistValue = string | number | bigint | boolean | Date | Buffer | null | PlistValue[] | PlistDict;
export interface PlistDict {
  [key: string]: PlistValue;
}

export function isDict(v: unknown): v is PlistDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

/** A non-empty string value (trimmed), or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t ? t : undefined;
}

export function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** Data as bytes; a hex or base64 string (plists converted by other tools) is accepted too. */
export function bytes(v: unknown): Buffer | undefined {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'string') {
    const t = v.trim().replace(/^<|>$/g, '').replace(/[\s:]/g, '');
    if (/^(?:[0-9a-fA-F]{2})+$/.test(t)) return Buffer.from(t, 'hex');
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(t) && t.length % 4 === 0) return Buffer.from(t, 'base64');
  }
  return undefined;
}

/** A plist date as ISO 8601 UTC, or undefined when it is missing or invalid. */
export function isoDate(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  return undefined;
}

/** Turns what a parser returned into the PlistValue tree (Uint8Array → Buffer), deeply. */
export function normalizeTree(v: unknown, depth = 0): PlistValue {
  if (depth > 1000) throw new Error('nested too deeply');
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof Date || Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) return v.map((x) => normalizeTree(x, depth + 1));
  if (typeof v === 'object') {
    const out: PlistDict = Object.create(null) as PlistDict;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = normalizeTree(x, depth + 1);
    return out;
  }
  return null;
}
