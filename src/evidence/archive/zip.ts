import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type { Entry, ZipFile } from 'yauzl';
import { sysdiagnoseFacts } from '../sysdiagnose.js';
import { pumpMember } from './member.js';
import { ScanStop, type Scan } from './scan.js';
import type { ChunkSink } from './sink.js';

/** The zip library, loaded the first time a zip is read. */
let yauzlLib: typeof import('yauzl') | undefined;
const yauzl = () => (yauzlLib ??= createRequire(import.meta.url)('yauzl') as typeof import('yauzl'));

/**
 * Reads a zip file on disk (Secure Mail log bundles, a sysdiagnose zipped for
 * mail). The central directory is checked against the limits before any
 * member is inflated: entry count, and each member's declared size against
 * what is left of the expansion budget (zip bombs stop there).
 */
export async function scanZipFile(scan: Scan, path: string, prefix: string, depth: number): Promise<void> {
  const where = prefix ? prefix.slice(0, -2) : undefined;
  let zip: ZipFile;
  try {
    zip = await openZip(path);
  } catch (e) {
    scan.problem('archive.corrupt', `zip data cannot be read: ${(e as Error).message}`, where);
    return;
  }
  try {
    if (zip.entryCount > scan.limits.maxEntries) {
      throw new ScanStop('archive.too_many_entries', `zip directory lists ${zip.entryCount} entries, over the limit of ${scan.limits.maxEntries}; not read`, where);
    }
    for (;;) {
      scan.check();
      let entry: Entry | undefined;
      try {
        entry = await nextEntry(zip);
      } catch (e) {
        scan.problem('archive.corrupt', `zip directory is damaged after ${scan.entries} entries: ${(e as Error).message}; what was read before is kept`, where);
        return;
      }
      if (!entry) return;
      await scanZipEntry(scan, zip, entry, prefix, depth);
      if (scan.shouldYield()) await scan.yieldNow();
    }
  } finally {
    zip.close();
  }
}

async function scanZipEntry(scan: Scan, zip: ZipFile, entry: Entry, prefix: string, depth: number): Promise<void> {
  const name = yauzl().getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
  const member = prefix + name;
  scan.addEntry(member);
  noteSysdiagnose(scan, prefix, name);
  if (name.endsWith('/')) return;
  if (isUnsafe(name)) {
    scan.problem('archive.unsafe_path', `has a member path that ${name.startsWith('/') ? 'is absolute' : 'climbs out of the archive with ".."'}; it was not read (nothing is ever extracted)`, member);
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
  let stream: Readable;
  try {
    stream = await openEntry(zip, entry);
  } catch (e) {
    scan.problem('archive.corrupt', `zip member cannot be opened: ${(e as Error).message}`, member);
    return;
  }
  await pumpMember(scan, { member, size, depth }, stream, (n) => scan.addExpanded(n), (e) => ({
    code: 'archive.corrupt',
    message: `zip member is damaged: ${e.message}; what was read before is kept`,
  }));
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

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // Names are decoded here, not by yauzl: it rejects the whole zip for one bad name, we flag that member.
    yauzl().open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: false }, (err, zip) =>
      err || !zip ? reject(err ?? new Error('no zip')) : resolve(zip),
    );
  });
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
 * arrives as a stream is spooled into a private temporary folder, capped at
 * the input limit while it is written, read from there, and removed.
 */
export class ZipSpool implements ChunkSink {
  private dir: string | undefined;
  private file: WriteStream | undefined;
  private opening: Promise<void> | undefined;
  private written = 0;
  private failed = false;

  constructor(
    private readonly scan: Scan,
    private readonly member: string | undefined,
    private readonly prefix: string,
    private readonly depth: number,
  ) {}

  write(chunk: Buffer): void | Promise<void> {
    if (this.failed) return;
    this.written += chunk.length;
    if (this.written > this.scan.limits.maxInputBytes) {
      this.abort();
      throw new ScanStop('input.too_large', `zip data is larger than the input limit of ${this.scan.limits.maxInputBytes} bytes; stopped`, this.member);
    }
    if (!this.file) return (this.opening ??= this.open()).then(() => (this.file ? this.writeFile(chunk) : undefined));
    return this.writeFile(chunk);
  }

  async end(): Promise<void> {
    if (this.failed) return;
    if (!this.file) await (this.opening ??= this.open());
    const file = this.file;
    if (!file) return;
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
    try {
      await scanZipFile(this.scan, join(this.dir!, 'spool.zip'), this.prefix, this.depth);
    } finally {
      await this.cleanUp();
    }
  }

  abort(): void {
    if (this.failed) return;
    this.failed = true;
    void this.cleanUp();
  }

  private async open(): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'pushcheck-zip-'));
    if (this.failed) {
      await rm(dir, { recursive: true, force: true });
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
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
