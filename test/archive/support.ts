import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, crc32, gzipSync } from 'node:zlib';
import { DEFAULT_LIMITS, type BufferReader, type LineReader, type Limits, type ReadContext, type Reader } from '../../src/evidence/types.js';
import { sourceOf } from '../../src/evidence/types.js';

/** One tar entry as a test wants it, hostile ones included (the `tar` package refuses to write those). */
export interface TarEntry {
  path: string;
  data?: Buffer | string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  linkTarget?: string;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

/** A minimal ustar writer (long paths go into the prefix field or a pax record). */
export function tarHeader(e: { path: string; size: number; type: string; linkTarget?: string }): Buffer {
  const h = Buffer.alloc(512);
  let name = e.path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(e.size, 12), 124, 'latin1');
  h.write(octal(1_700_000_000, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(e.type, 156, 'latin1');
  if (e.linkTarget) h.write(e.linkTarget, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${octal(sum, 7)} `, 148, 'latin1');
  return h;
}

export function tar(entries: TarEntry[], { endMarker = true } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const type = { file: '0', dir: '5', symlink: '2', hardlink: '1' }[e.type ?? 'file'];
    parts.push(tarHeader({ path: e.path, size: data.length, type, ...(e.linkTarget ? { linkTarget: e.linkTarget } : {}) }));
    parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (endMarker) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export const tgz = (entries: TarEntry[]): Buffer => gzipSync(tar(entries));

/** A minimal zip writer (stored or deflated members), so tests need no zip library. */
export function zip(entries: { path: string; data: Buffer | string; deflate?: boolean; declaredSize?: number; mode?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const body = e.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(e.path);
    const crc = crc32(data);
    const size = e.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export function ctxWith(limits: Partial<Limits> = {}): ReadContext {
  return { limits: { ...DEFAULT_LIMITS, ...limits } };
}

/**
 * Stand-in readers that record what reached them: a buffer reader for
 * plists and stubs, a line reader for logs that notes lines naming mdmd.
 * The facts they make use catalogued names so they look like the real thing.
 */
export function recordingReaders(): { readers: Reader[]; buffers: Map<string, Buffer>; lines: Map<string, number> } {
  const buffers = new Map<string, Buffer>();
  const lines = new Map<string, number>();
  const plist: BufferReader = {
    id: 'test.plist',
    kind: 'buffer',
    accepts: (name) => name === 'MDM.plist' || name.endsWith('.stub') || name.endsWith('.plist'),
    read(data, item) {
      buffers.set(item.member ?? item.input, Buffer.from(data));
      const m = /<key>PushMagic<\/key>\s*<string>([^<]+)<\/string>/.exec(data.toString('utf8'));
      return { facts: m ? [{ name: 'device.push_magic', value: m[1]!, source: sourceOf(item) }] : [], problems: [] };
    },
  };
  const log: LineReader = {
    id: 'test.log',
    kind: 'lines',
    accepts: (name) => name.endsWith('.log') || name.endsWith('.txt'),
    open(item) {
      const key = item.member ?? item.input;
      let count = 0;
      let rejection: number | undefined;
      return {
        line(text, n) {
          count++;
          if (rejection === undefined && text.includes('does not have the right magic string')) rejection = n;
        },
        end() {
          lines.set(key, count);
          return {
            facts: rejection ? [{ name: 'device.log.magic_rejection', value: '2024-03-01T18:00:00Z', source: sourceOf(item, rejection) }] : [],
            problems: [],
          };
        },
      };
    },
  };
  return { readers: [plist, log], buffers, lines };
}

export async function withTempDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pushcheck-test-'));
  try {
    return await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Our own temp folders (zip spools) left in the temp dir. */
export async function leftoverSpools(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('pushcheck-zip-'));
}

export const MDM_PLIST = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>CheckInURL</key>
\t<string>https://mdm.example.com/checkin</string>
\t<key>PushMagic</key>
\t<string>2A5C84E1-7C0B-4F7E-9B55-3C1F0D2E6A11</string>
\t<key>ServerURL</key>
\t<string>https://mdm.example.com/server</string>
</dict>
</plist>
`;
