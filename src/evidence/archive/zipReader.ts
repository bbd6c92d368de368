import { close, fstat, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import yauzl, { type ZipFile } from 'yauzl';
import { readDirectory, zipLayout, type ZipLayout } from './zipLayout.js';

/**
 * A zip file for yauzl whose central directory is served from memory: the
 * directory is read in one go (and checked for overlapping entries) before
 * yauzl lists it, instead of yauzl's two small file reads per entry. Member
 * data is still streamed from the file.
 */
const CHUNK = 256 * 1024;

class FileReader extends yauzl.RandomAccessReader {
  private dir: Buffer | undefined;
  private dirStart = 0;

  constructor(private readonly fd: number) {
    super();
  }

  cache(dir: Buffer, start: number): void {
    this.dir = dir;
    this.dirStart = start;
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    const dir = this.dir;
    if (dir && position >= this.dirStart && position + length <= this.dirStart + dir.length) {
      dir.copy(buffer, offset, position - this.dirStart, position - this.dirStart + length);
      process.nextTick(callback, null, length);
      return;
    }
    read(this.fd, buffer, offset, length, position, (err, n) => callback(err, n));
  }

  /** Positional reads on the shared descriptor (an fs.ReadStream would close it when destroyed). */
  override _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    let pos = start;
    return new Readable({
      highWaterMark: CHUNK,
      read(size) {
        const n = Math.min(Math.max(size, CHUNK), end - pos);
        if (n <= 0) {
          this.push(null);
          return;
        }
        const buf = Buffer.allocUnsafe(n);
        read(fd, buf, 0, n, pos, (err, got) => {
          if (err) return this.destroy(err);
          if (!got) return this.push(null);
          pos += got;
          this.push(got < n ? buf.subarray(0, got) : buf);
        });
      },
    });
  }

  override close(callback: (err: Error | null) => void): void {
    close(this.fd, (err) => callback(err ?? null));
  }
}

export interface OpenedZip {
  zip: ZipFile;
  layout: ZipLayout;
}

const call = <T>(f: (cb: (err: Error | null, v: T) => void) => void) => new Promise<T>((resolve, reject) => f((err, v) => (err ? reject(err) : resolve(v))));

/** Opens a zip on disk for lazy listing (and checks its directory unless it lists more than maxEntries); an unreadable zip or directory is an Error whose message says why. */
export async function openZipFile(path: string, maxEntries: number): Promise<OpenedZip> {
  const fd = await call<number>((cb) => open(path, 'r', cb));
  const reader = new FileReader(fd);
  let zip: ZipFile;
  try {
    const size = (await call<import('node:fs').Stats>((cb) => fstat(fd, cb))).size;
    // Names are decoded here, not by yauzl: it rejects the whole zip for one bad name, we flag that member.
    zip = await call<ZipFile>((cb) =>
      yauzl.fromRandomAccessReader(reader, size, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: false }, cb),
    );
  } catch (e) {
    close(fd, () => {});
    throw e;
  }
  // Too many entries is the caller's to report; the directory is not even looked at.
  if (zip.entryCount > maxEntries) return { zip, layout: { overlapping: new Uint8Array(0), count: 0 } };
  // yauzl keeps these on the object without declaring them: where the directory starts, and the file's size.
  const { readEntryCursor, fileSize } = zip as unknown as { readEntryCursor: number; fileSize: number };
  const dir = await readDirectory((buf, at) => call<number>((cb) => read(fd, buf, 0, buf.length, at, cb)), readEntryCursor, fileSize);
  const layout = Buffer.isBuffer(dir) ? zipLayout(dir, readEntryCursor, zip.entryCount) : dir;
  if ('error' in layout) {
    zip.close();
    throw new Error(layout.error);
  }
  reader.cache(dir as Buffer, readEntryCursor);
  return { zip, layout };
}
