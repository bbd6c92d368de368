import { createRequire } from 'node:module';

/** Loaded the first time a binary plist is read: most runs read none, and every run would pay for it. */
let bplistLib: typeof import('bplist-parser') | undefined;
const bplist = () => (bplistLib ??= createRequire(import.meta.url)('bplist-parser') as typeof import('bplist-parser'));
import { normalizeTree, type PlistValue } from './values.js';

export type BinaryResult = { ok: true; value: PlistValue } | { ok: false; code: string; message: string };

/** Deepest nesting we follow; real MDM plists are a handful of levels deep. */
const MAX_DEPTH = 256;

interface Trailer {
  offsetSize: number;
  refSize: number;
  count: number;
  top: number;
  tableOffset: number;
}

class Bad extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function readUInt(buf: Buffer, at: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + buf[at + i];
  return v;
}

function readTrailer(buf: Buffer): Trailer {
  if (buf.length < 8 + 32) throw new Bad('plist.truncated', 'is a binary plist too short to hold its trailer (truncated?)');
  const t = buf.length - 32;
  const offsetSize = buf[t + 6];
  const refSize = buf[t + 7];
  if (offsetSize < 1 || offsetSize > 8 || refSize < 1 || refSize > 8)
    throw new Bad('plist.malformed', 'is a binary plist whose trailer is corrupt (offset or reference size out of range; truncated?)');
  const hi = (o: number) => buf.readUInt32BE(t + o);
  // Counts and offsets above 2^32 cannot describe a file we would buffer.
  if (hi(8) || hi(16) || hi(24)) throw new Bad('plist.malformed', 'is a binary plist whose trailer claims absurd sizes (corrupt or truncated)');
  return { offsetSize, refSize, count: buf.readUInt32BE(t + 12), top: buf.readUInt32BE(t + 20), tableOffset: buf.readUInt32BE(t + 28) };
}

/** Length of a variable-size object: the low nibble, or a following int object when it is 0xF. */
function lengthOf(buf: Buffer, off: number, info: number, end: number): { len: number; hdr: number } {
  if (info !== 0x0f) return { len: info, hdr: 1 };
  const m = buf[off + 1];
  if (m === undefined || m >> 4 !== 0x1 || (m & 0x0f) > 3) throw new Bad('plist.malformed', `is a binary plist with a corrupt length field at byte ${off}`);
  const size = 1 << (m & 0x0f);
  if (off + 2 + size > end) throw new Bad('plist.malformed', `is a binary plist whose object at byte ${off} runs past the object area`);
  return { len: readUInt(buf, off + 2, size), hdr: 2 + size };
}

/**
 * Walks the object table before any decoding: every offset inside the
 * object area, every object's bytes inside it, every reference to an
 * existing object, no reference cycles, and a bounded expanded size (a
 * shared sub-tree referenced twice per level doubles at each level, which
 * a recursive decoder would otherwise expand without end).
 */
function validate(buf: Buffer, tr: Trailer, maxObjects: number): void {
  const { offsetSize, count, top, tableOffset } = tr;
  if (count === 0) throw new Bad('plist.malformed', 'is a binary plist with no objects');
  if (count > maxObjects) throw new Bad('plist.too_many_objects', `is a binary plist claiming ${count} objects, over the limit of ${maxObjects}`);
  if (top >= count) throw new Bad('plist.malformed', 'is a binary plist whose top object does not exist');
  if (tableOffset < 9 || tableOffset + count * offsetSize > buf.length - 32)
    throw new Bad('plist.malformed', 'is a binary plist whose offset table lies outside the file (truncated or corrupt)');
  const children: (Uint32Array | null)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const off = readUInt(buf, tableOffset + i * offsetSize, offsetSize);
    // The object area ends where the offset table begins.
    if (off < 8 || off >= tableOffset) throw new Bad('plist.malformed', `is a binary plist whose object ${i} has an offset outside the object area`);
    children[i] = objectRefs(buf, off, tr);
  }
  checkDictKeys(buf, tr, children);
  checkExpansion(children, top, maxObjects);
}

/** Checks that the object at `off` lies inside the object area; returns what it refers to (containers), or null. */
function objectRefs(buf: Buffer, off: number, tr: Trailer): Uint32Array | null {
  const { refSize, count, tableOffset: areaEnd } = tr;
  const marker = buf[off];
  const type = marker >> 4;
  const info = marker & 0x0f;
  let end: number;
  let refs: Uint32Array | null = null;
  switch (type) {
    case 0x0:
      if (info !== 0x0 && info !== 0x8 && info !== 0x9 && info !== 0xf)
        throw new Bad('plist.malformed', `is a binary plist with an unknown value type at byte ${off}`);
      end = off + 1;
      break;
    case 0x1:
      if (info > 4) throw new Bad('plist.malformed', `is a binary plist with an oversized integer at byte ${off}`);
      end = off + 1 + (1 << info);
      break;
    case 0x2:
      if (info !== 2 && info !== 3) throw new Bad('plist.malformed', `is a binary plist with a malformed real number at byte ${off}`);
      end = off + 1 + (1 << info);
      break;
    case 0x3:
      if (info !== 3) throw new Bad('plist.malformed', `is a binary plist with a malformed date at byte ${off}`);
      end = off + 9;
      break;
    case 0x4:
    case 0x5:
    case 0x6: {
      const { len, hdr } = lengthOf(buf, off, info, areaEnd);
      end = off + hdr + len * (type === 0x6 ? 2 : 1);
      break;
    }
    case 0x8:
      end = off + 2 + info;
      break;
    case 0xa:
    case 0xd: {
      const { len, hdr } = lengthOf(buf, off, info, areaEnd);
      const n = type === 0xd ? len * 2 : len;
      // Writers share equal values, so n may well exceed the object count; the bytes bound it.
      end = off + hdr + n * refSize;
      if (end > areaEnd) break;
      refs = new Uint32Array(n);
      for (let k = 0; k < n; k++) {
        const r = readUInt(buf, off + hdr + k * refSize, refSize);
        if (r >= count) throw new Bad('plist.malformed', `is a binary plist whose container at byte ${off} refers to object ${r}, which does not exist`);
        refs[k] = r;
      }
      break;
    }
    default:
      throw new Bad('plist.unsupported', `is a binary plist with an object type pushcheck does not read (0x${type.toString(16)}) at byte ${off}`);
  }
  if (end > areaEnd) throw new Bad('plist.malformed', `is a binary plist whose object at byte ${off} runs past the object area (truncated or corrupt)`);
  return refs;
}

/** Dictionary keys must be strings; "__proto__" would reach Object.prototype. */
function checkDictKeys(buf: Buffer, tr: Trailer, children: readonly (Uint32Array | null)[]): void {
  const { offsetSize, tableOffset } = tr;
  for (let i = 0; i < children.length; i++) {
    const refs = children[i];
    if (!refs) continue;
    const off = readUInt(buf, tableOffset + i * offsetSize, offsetSize);
    if (buf[off] >> 4 !== 0xd) continue;
    for (let k = 0; k < refs.length / 2; k++) {
      const keyOff = readUInt(buf, tableOffset + refs[k] * offsetSize, offsetSize);
      const kt = buf[keyOff] >> 4;
      if (kt !== 0x5 && kt !== 0x6) throw new Bad('plist.malformed', `is a binary plist with a dictionary key that is not a string (byte ${keyOff})`);
      if (kt === 0x5 && buf.subarray(keyOff, keyOff + 10).toString('latin1') === '\x59__proto__')
        throw new Bad('plist.malformed', 'is a binary plist with a "__proto__" key, refused');
    }
  }
}

/** Iterative depth-first walk from the top object: no cycles, bounded depth, a bounded expanded size. */
function checkExpansion(children: readonly (Uint32Array | null)[], top: number, maxObjects: number): void {
  const state = new Uint8Array(children.length); // 0 unseen, 1 on the path, 2 done
  const size = new Float64Array(children.length);
  const stack: { node: number; next: number }[] = [{ node: top, next: 0 }];
  state[top] = 1;
  while (stack.length) {
    const frame = stack[stack.length - 1];
    const refs = children[frame.node];
    if (refs && frame.next < refs.length) {
      const child = refs[frame.next++];
      if (state[child] === 1) throw new Bad('plist.cycle', 'is a binary plist whose objects refer to themselves in a cycle (crafted or corrupt)');
      if (state[child] === 0) {
        if (stack.length >= MAX_DEPTH) throw new Bad('plist.too_deep', `is a binary plist nested more than ${MAX_DEPTH} levels deep`);
        state[child] = 1;
        stack.push({ node: child, next: 0 });
      }
      continue;
    }
    let total = 1;
    if (refs) for (const c of refs) total += size[c];
    if (total > maxObjects)
      throw new Bad('plist.too_many_objects', `is a binary plist whose shared references expand to more than ${maxObjects} values (crafted or corrupt)`);
    size[frame.node] = total;
    state[frame.node] = 2;
    stack.pop();
  }
}

/** Decodes a `bplist00` buffer with bplist-parser once its structure has been checked. */
export function parseBinaryPlist(buf: Buffer, maxObjects: number): BinaryResult {
  try {
    validate(buf, readTrailer(buf), maxObjects);
    const { parseBuffer, setMaxObjectCount, setMaxObjectSize } = bplist();
    setMaxObjectCount(maxObjects);
    setMaxObjectSize(Math.max(buf.length, 1));
    const [value] = parseBuffer(buf);
    return { ok: true, value: normalizeTree(value) };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'plist.malformed', message: `is a binary plist that could not be decoded: ${(e as Error).message}` };
  }
}
