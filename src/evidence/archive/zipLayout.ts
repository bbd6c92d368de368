/**
 * Where each zip entry's data lies, read straight from the central
 * directory in one read, before any entry is inflated. Each entry of a zip
 * bomb can be honest on its own: the trick is many entries whose data is
 * the same bytes (one 48 MB stream listed 1,000 times) or runs into the next
 * entry's (overlapping entries that expand without end). Entries are
 * matched to what yauzl lists by their position in the directory.
 */
export interface ZipLayout {
  /** 1 at the directory position of each entry whose data overlaps another entry's (or the directory). */
  overlapping: Uint8Array;
  count: number;
}

/** Directories larger than this are not read (200,000 entries with 100-byte names take about 30 MB). */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
const CENTRAL_SIGNATURE = 0x02014b50;
/** A local header is at least this long before its name. */
const LOCAL_FIXED = 30;

/**
 * The bytes from the central directory to the end of the file, read once
 * (yauzl then reads its entries from memory instead of two file reads per
 * entry: a zip of 200,000 empty files took 88 s of waiting on reads).
 */
export async function readDirectory(read: (buf: Buffer, at: number) => Promise<number>, offset: number, fileSize: number): Promise<Buffer | { error: string }> {
  const length = fileSize - offset;
  if (length <= 0) return { error: 'its directory lies outside the file' };
  if (length > MAX_DIRECTORY_BYTES) return { error: `its directory is larger than ${MAX_DIRECTORY_BYTES} bytes` };
  const dir = Buffer.alloc(length);
  let n = 0;
  while (n < length) {
    const got = await read(dir.subarray(n), offset + n);
    if (!got) return { error: 'its directory ends early (the file is cut short)' };
    n += got;
  }
  return dir;
}

/**
 * Marks entries whose [local header, end of data) range meets another's, or
 * the directory, from the directory bytes at `offset` (`entries` records).
 * The local header's own name and extra field are assumed as long as the
 * central record's name (its extra field can differ, and only a longer one
 * would matter), so an overlap found here is certain.
 */
export function zipLayout(dir: Buffer, offset: number, entries: number): ZipLayout | { error: string } {
  const starts = new Float64Array(entries);
  const ends = new Float64Array(entries);
  let pos = 0;
  for (let i = 0; i < entries; i++) {
    if (pos + 46 > dir.length || dir.readUInt32LE(pos) !== CENTRAL_SIGNATURE) {
      return { error: `its directory is damaged at entry ${i + 1}` };
    }
    let compressed = dir.readUInt32LE(pos + 20);
    let uncompressed = dir.readUInt32LE(pos + 24);
    const nameLength = dir.readUInt16LE(pos + 28);
    const extraLength = dir.readUInt16LE(pos + 30);
    const commentLength = dir.readUInt16LE(pos + 32);
    let local = dir.readUInt32LE(pos + 42);
    // Zip64: the values written as 0xFFFFFFFF are in the 0x0001 extra field, in this order.
    if (compressed === 0xffffffff || uncompressed === 0xffffffff || local === 0xffffffff) {
      let e = pos + 46 + nameLength;
      const extraEnd = Math.min(e + extraLength, dir.length);
      while (e + 4 <= extraEnd) {
        const id = dir.readUInt16LE(e);
        const size = dir.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let f = e + 4;
          const next = () => {
            const v = f + 8 <= e + 4 + size && f + 8 <= dir.length ? Number(dir.readBigUInt64LE(f)) : NaN;
            f += 8;
            return v;
          };
          if (uncompressed === 0xffffffff) uncompressed = next();
          if (compressed === 0xffffffff) compressed = next();
          if (local === 0xffffffff) local = next();
          break;
        }
        e += 4 + size;
      }
    }
    starts[i] = local;
    ends[i] = local + LOCAL_FIXED + nameLength + compressed;
    pos += 46 + nameLength + extraLength + commentLength;
  }
  const overlapping = new Uint8Array(entries);
  const order = Array.from({ length: entries }, (_, i) => i).sort((a, b) => starts[a]! - starts[b]! || a - b);
  let count = 0;
  const mark = (i: number) => {
    if (!overlapping[i]) {
      overlapping[i] = 1;
      count++;
    }
  };
  // Sorted by start, an entry overlaps another exactly when it starts before the furthest end so far.
  let furthest = -1;
  let furthestAt = -1;
  for (const i of order) {
    if (!(starts[i]! >= furthest)) {
      mark(i);
      if (furthestAt >= 0) mark(furthestAt);
    }
    // Data running into the directory itself is an overlap too.
    if (ends[i]! > offset || Number.isNaN(ends[i]!)) mark(i);
    if (ends[i]! > furthest) {
      furthest = ends[i]!;
      furthestAt = i;
    }
  }
  return { overlapping, count };
}
