import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Zip files written byte by byte, so tests and the hostile bench can make
 * the shapes no zip tool would: entries that share or overlap their data,
 * hundreds of thousands of empty entries. (Ordinary zips: test/archive/support.ts.)
 */
interface Placed {
  name: Buffer;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

function localHeader(p: Placed): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6); // names are UTF-8
  h.writeUInt16LE(p.method, 8);
  h.writeUInt32LE(p.crc >>> 0, 14);
  h.writeUInt32LE(p.compressed, 18);
  h.writeUInt32LE(p.size, 22);
  h.writeUInt16LE(p.name.length, 26);
  return Buffer.concat([h, p.name]);
}

function centralHeader(p: Placed): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(0x0314, 4); // made by Unix, so the mode in the external attributes counts
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x0800, 8);
  h.writeUInt16LE(p.method, 10);
  h.writeUInt32LE(p.crc >>> 0, 16);
  h.writeUInt32LE(p.compressed, 20);
  h.writeUInt32LE(p.size, 24);
  h.writeUInt16LE(p.name.length, 28);
  h.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  h.writeUInt32LE(p.offset, 42);
  return Buffer.concat([h, p.name]);
}

function endRecord(count: number, centralSize: number, centralOffset: number): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(count, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(centralSize, 12);
  e.writeUInt32LE(centralOffset, 16);
  return e;
}

function finish(parts: Buffer[], placed: readonly Placed[], offset: number): Buffer {
  const central = Buffer.concat(placed.map(centralHeader));
  return Buffer.concat([...parts, central, endRecord(placed.length, central.length, offset)]);
}

/**
 * One deflate stream of `size` zero bytes and `count` directory entries
 * that all point at it (under different names): each entry alone is
 * honest, together they expand to count × size.
 */
export function sharedStreamZip(count: number, size: number): Buffer {
  const data = Buffer.alloc(size);
  const body = deflateRawSync(data, { level: 9 });
  const first: Placed = { name: Buffer.from('logs/0.log'), method: 8, crc: crc32(data), compressed: body.length, size, offset: 0 };
  const h = localHeader(first);
  const placed = Array.from({ length: count }, (_, i) => ({ ...first, name: Buffer.from(`logs/${i}.log`) }));
  return finish([h, body], placed, h.length + body.length);
}

/**
 * Entries whose data run into each other: each entry's stored data spans
 * the local headers and data of every entry after it (the overlapping
 * shape of small zips that claim to expand without end).
 */
export function overlappingZip(count: number): Buffer {
  const parts: Buffer[] = [];
  const placed: Placed[] = [];
  const unit = Buffer.from('x'.repeat(64));
  const headerLength = (i: number) => 30 + Buffer.byteLength(`logs/${i}.log`);
  // Lay out first (offsets), then give each entry the length to the end of the last one.
  const offsets: number[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    offsets.push(offset);
    offset += headerLength(i) + unit.length;
  }
  for (let i = 0; i < count; i++) {
    const span = offset - offsets[i]! - headerLength(i);
    const p: Placed = { name: Buffer.from(`logs/${i}.log`), method: 0, crc: 0, compressed: span, size: span, offset: offsets[i]! };
    parts.push(localHeader(p), unit);
    placed.push(p);
  }
  return finish(parts, placed, offset);
}

/** `count` empty files (count may pass 65,535: the count fields then wrap, as old writers did, so zip64 is used). */
export function emptyEntriesZip(count: number): Buffer {
  const parts: Buffer[] = [];
  const placed: Placed[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const p: Placed = { name: Buffer.from(`e/${i}`), method: 0, crc: 0, compressed: 0, size: 0, offset };
    const h = localHeader(p);
    parts.push(h);
    placed.push(p);
    offset += h.length;
  }
  const central = Buffer.concat(placed.map(centralHeader));
  if (count < 0xffff) return Buffer.concat([...parts, central, endRecord(count, central.length, offset)]);
  // Zip64 end record and locator carry the real count.
  const z = Buffer.alloc(56);
  z.writeUInt32LE(0x06064b50, 0);
  z.writeBigUInt64LE(44n, 4);
  z.writeUInt16LE(45, 12);
  z.writeUInt16LE(45, 14);
  z.writeBigUInt64LE(BigInt(count), 24);
  z.writeBigUInt64LE(BigInt(count), 32);
  z.writeBigUInt64LE(BigInt(central.length), 40);
  z.writeBigUInt64LE(BigInt(offset), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(offset + central.length), 8);
  loc.writeUInt32LE(1, 16);
  const end = endRecord(0xffff, 0xffffffff, 0xffffffff);
  end.writeUInt16LE(0xffff, 8);
  return Buffer.concat([...parts, central, z, loc, end]);
}
