import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { createRequire } from 'node:module';
import type { Entry, ZipFile } from 'yauzl';
import { sysdiagnoseFacts } from '../sysdiagnose.js';
import { pumpMember, type MemberCheck } from './member.js';
import { ScanStop, type Scan } from './scan.js';
import type { ChunkSink } from './sink.js';
import { makeTempDir, removeTempDir, removeTempDirSync } from './tempSpace.js';
import type { ZipLayout } from './zipLayout.js';

let yauzlLib: typeof import('yauzl') | undefined;
const yauzl = () => (yauzlLib ??= createRequire(import.meta.url)('yauzl') as typeof import('yauzl'));

/**
 * Reads a zip file on disk (Secure Mail log bundles, a sysdiagnose zipped for
 * mail). The central directory is checked against the limits before any
 * member is inflated: entry count, entries whose data overlap (each is
 * refused: that is how small zips claim to expand without end), and each
 * member's declared size against what is left of the expansion budget (zip
 * bombs stop there). Each member is checked against its CRC-32.
 */
export async function scanZipFile(scan: Scan, path: string, prefix: string, depth: number): Promise<void> {
  const where = prefix ? prefix.slice(0, -2) : undefined;
  let zip: ZipFile;
  let layout: ZipLayout;
  try {
    // The zip library loads with the first zip: a run without one never pays for it.
    const { openZipFile } = await import('./zipReader.js');
    ({ zip, layout } = await openZipFile(path, scan.limits.maxEntries));
  } catch (e) {
    scan.problem('archive.corrupt', `zip data cannot be read: ${(e as Error).message}`, where);
    return;
  }
  try {
    if (zip.entryCount > scan.limits.maxEntries) {
      throw new ScanStop(
        'archive.too_many_entries',
        `zip directory lists ${zip.entryCount} entries, over the limit of ${scan.limits.maxEntries}; not read`,
        where,
      );
    }
    let overlapNoted = false;
    for (let index = 0; ; index++) {
      scan.check();
      let entry: Entry | undefined;
      try {
        entry = await nextEntry(zip);
      } catch (e) {
        scan.problem('archive.corrupt', `zip directory is damaged after ${scan.entries} entries: ${(e as Error).message}; what was read before is kept`, where);
        return;
      }
      if (!entry) return;
      if (layout.overlapping[index]) {
        const member = prefix + entryName(entry);
        scan.addEntry(member);
        if (!overlapNoted) {
          overlapNoted = true;
          scan.problem(
            'archive.overlapping_entries',
            `zip lists ${layout.count} entries whose data is shared with or runs into another entry's (the shape of a zip bomb: the same bytes would be inflated again and again); none of them was read, this is the first`,
            member,
          );
        }
        continue;
      }
      await scanZipEntry(scan, zip, entry, prefix, depth);
      if (scan.shouldYield()) await scan.yieldNow();
    }
  } finally {
    zip.close();
  }
}

function entryName(entry: Entry): string {
  return yauzl().getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
}

/** The CRC-32 of what was inflated, against the one the directory gives. */
function crcCheck(entry: Entry): MemberCheck {
  let crc = 0;
  return {
    update(chunk) {
      crc = crc32(chunk, crc);
    },
    failure() {
      return crc >>> 0 === entry.crc32 >>> 0
        ? undefined
        : `zip member fails its CRC-32 check (the data is damaged or was altered: ${(crc >>> 0).toString(16).padStart(8, '0')} instead of ${(entry.crc32 >>> 0).toString(16).padStart(8, '0')}); nothing read from it is used`;
    },
  };
}

async function scanZipEntry(scan: Scan, zip: ZipFile, entry: Entry, prefix: string, depth: number): Promise<void> {
  const name = entryName(entry);
  const member = prefix + name;
  scan.addEntry(member);
  noteSysdiagnose(scan, prefix, name);
  if (name.endsWith('/')) return;
  if (isUnsafe(name)) {
    scan.problem(
      'archive.unsafe_path',
      `has a member path that ${name.startsWith('/') ? 'is absolute' : 'climbs out of the archive with ".."'}; it was not read (nothing is ever extracted)`,
      member,
    );
    return;
  }
  const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (mode === 0o120000) {
    scan.problem('archive.link_skipped', 'is a symbolic link; links are never followed', member);
    return;
  }
  if (entry.isEncrypted()) {
    scan.problem('archive.encrypted', 'is encrypted in the zip; it cannot be read without the password', member);
    return;
  }
  const size = entry.uncompressedSize;
  if (scan.expandedBytes + size > scan.limits.maxExpandedBytes) {
    throw new ScanStop(
      'archive.too_large_expanded',
      `zip members expand to more than the limit of ${scan.limits.maxExpandedBytes} bytes (this one alone declares ${size} bytes: a zip bomb or a far larger bundle than expected); stopped there`,
      member,
    );
  }
  // Empty members need no stream (a zip of 200,000 empty files must not open 200,000).
  let stream: Readable;
  try {
    stream = size === 0 && entry.compressedSize === 0 ? Readable.from([]) : await openEntry(zip, entry);
  } catch (e) {
    scan.problem('archive.corrupt', `zip member cannot be opened: ${(e as Error).message}`, member);
    return;
  }
  await pumpMember(
    scan,
    { member, size, depth },
    stream,
    (n) => scan.addExpanded(n),
    (e) => ({
      code: 'archive.corrupt',
      message: `zip member is damaged: ${e.message}; what was read before is kept`,
    }),
    crcCheck(entry),
  );
}

function noteSysdiagnose(scan: Scan, prefix: string, name: string): void {
  // Only folders: a sysdiagnose archive zipped whole is described by its own members.
  const slash = name.indexOf('/');
  if (slash < 0) return;
  const top = name.slice(0, slash);
  if (!top.startsWith('sysdiagnose')) return;
  const key = prefix + top;
  if (scan.sysdiagnoseSeen.has(key)) return;
  scan.sysdiagnoseSeen.add(key);
  for (const f of sysdiagnoseFacts(top, { kind: 'file', input: scan.input, member: `${key}/` })) scan.facts.push(f);
}

function isUnsafe(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[\\/]/).includes('..');
}

function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (e: Entry) => done(() => resolve(e));
    const onEnd = () => done(() => resolve(undefined));
    const onError = (e: Error) => done(() => reject(e));
    const done = (f: () => void) => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
      f();
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))));
}

/**
 * Zip needs random access (its directory is at the end), so a zip that
 * arrives as a stream is spooled into a private temporary folder, read from
 * there, and removed (also on SIGINT/SIGTERM). A zip that is the input
 * itself is bounded by the input limit; zip data that came out of another
 * archive counts against the input's spool limit while it is written.
 */
export class ZipSpool implements ChunkSink {
  private dir: string | undefined;
  private file: WriteStream | undefined;
  private opening: Promise<void> | undefined;
  private failed = false;

  constructor(
    private readonly scan: Scan,
    private readonly member: string | undefined,
    private readonly prefix: string,
    private readonly depth: number,
    /** The zip is the input itself (a download): bounded by the input limit, already charged as it arrives. */
    private readonly isInput = false,
  ) {}

  write(chunk: Buffer): void | Promise<void> {
    if (this.failed) return;
    try {
      // Zip data from inside a stream or an archive: a few compressed bytes can expand to gigabytes of it.
      if (!this.isInput) this.scan.addSpooled(chunk.length, this.member);
    } catch (e) {
      this.abort();
      throw e;
    }
    if (!this.file) return (this.opening ??= this.open()).then(() => (this.file ? this.writeFile(chunk) : undefined));
    return this.writeFile(chunk);
  }

  async end(): Promise<void> {
    if (this.failed) return;
    if (!this.file) await (this.opening ??= this.open());
    const file = this.file;
    if (!file) return;
    try {
      await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await scanZipFile(this.scan, join(this.dir!, 'spool.zip'), this.prefix, this.depth);
    } finally {
      await this.cleanUp();
    }
  }

  abort(): void {
    if (this.failed) return;
    this.failed = true;
    const { file, dir } = this;
    this.file = undefined;
    this.dir = undefined;
    file?.destroy();
    // At once, not after the scan has returned: an aborted spool can be hundreds of megabytes.
    if (dir) removeTempDirSync(dir);
  }

  private async open(): Promise<void> {
    const dir = await makeTempDir('pushcheck-zip-');
    if (this.failed) {
      await removeTempDir(dir);
      return;
    }
    this.dir = dir;
    this.file = createWriteStream(join(this.dir, 'spool.zip'), { mode: 0o600, flags: 'wx' });
  }

  private writeFile(chunk: Buffer): void | Promise<void> {
    if (this.failed) return;
    const file = this.file!;
    if (!file.write(chunk)) return new Promise((resolve) => file.once('drain', resolve));
  }

  private async cleanUp(): Promise<void> {
    const { file, dir } = this;
    this.file = undefined;
    this.dir = undefined;
    if (file && !file.closed) await new Promise<void>((resolve) => file.destroy() && file.once('close', () => resolve()));
    if (dir) await removeTempDir(dir);
  }
}
