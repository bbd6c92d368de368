import { open, stat } from 'node:fs/promises';
import { createReadStream, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import type { FactFolder } from '../../facts/fold.js';
import { readers as allReaders } from '../readers/index.js';
import { MAX_VALUES_FILE_BYTES, saysNothing, valuesFromFile, ValuesFileHead } from '../paste/file.js';
import { notAFile } from '../pasteSource.js';
import { sysdiagnoseFacts } from '../sysdiagnose.js';
import type { ReadContext, ReadResult, Reader } from '../types.js';
import { scanFolder } from './folder.js';
import { Member } from './member.js';
import { openNestedArchive } from './nested.js';
import { Scan, ScanStop } from './scan.js';
import { SNIFF_BYTES, sniff } from './sniff.js';
import { scanZipFile } from './zip.js';

const UNRECOGNISED =
  "holds nothing pushcheck recognises: no plist, profile, certificate or log line it knows (if it holds the server's push topic, PushMagic or token, paste them instead)";

/** Reads of 1 MiB: small reads cost more in syscalls than the whole tar parsing. */
const READ_CHUNK = 1 << 20;
/**
 * Reads of a lone file that is not an archive (a server log, a table): its
 * readers parse each chunk as it arrives, so the chunk stays in use as long
 * as its lines take. A 1 MiB one outlives a few young-generation
 * collections, is promoted, and is freed only by a full one: on a 500,000-line
 * server log, 20-45 MB of read chunks no longer in use were still held. One of
 * 64 KiB is parsed in a few milliseconds and dies young.
 */
const FILE_READ_CHUNK = 64 << 10;

export interface ScanResult extends ReadResult {
  /** How members were handled; for the benchmark and tests. */
  counts: Scan['counts'] & { entries: number; inputBytes: number; expandedBytes: number; textBytes: number };
}

/**
 * Reads a file, folder or archive on disk. Never throws for bad input. With
 * a folder, the facts are folded into it as they are found, and the result's
 * `facts` is empty.
 */
export async function scanPath(path: string, ctx: ReadContext, readers: readonly Reader[] = allReaders, folder?: FactFolder): Promise<ScanResult> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    return failed(path, ctx, readers, 'input.unreadable', `cannot be opened: ${(e as Error).message}`);
  }
  if (st.isDirectory()) return run(new Scan(path, ctx.limits, readers, ctx, undefined, openNestedArchive, folder), (scan) => scanFolder(scan, path));
  // Refused by type, never opened: /dev/zero never ends, and a FIFO without a writer never opens.
  if (!st.isFile())
    return failed(path, ctx, readers, 'input.not_a_file', `is ${notAFile(st)}, neither a file nor a folder; devices, FIFOs and sockets are not read`);
  if (st.size === 0) return failed(path, ctx, readers, 'input.empty', 'is empty (0 bytes)');
  if (st.size > ctx.limits.maxInputBytes) {
    return failed(path, ctx, readers, 'input.too_large', `is ${st.size} bytes, over the input limit of ${ctx.limits.maxInputBytes} bytes; not read`);
  }
  const scan = new Scan(path, ctx.limits, readers, ctx, st.size, openNestedArchive, folder);
  return run(scan, async () => {
    const head = Buffer.alloc(SNIFF_BYTES);
    const fh = await open(path, 'r');
    let n: number;
    try {
      n = (await fh.read(head, 0, SNIFF_BYTES, 0)).bytesRead;
    } finally {
      await fh.close();
    }
    const kind = sniff(head.subarray(0, n));
    if (kind === 'zip') {
      scan.addInput(st.size);
      await scanZipFile(scan, path, '', 1);
      return;
    }
    // Too large to be values a person saved (see pump): nothing keeps the reads but zlib.
    if (kind === 'gzip' && st.size > MAX_VALUES_FILE_BYTES) return pumpGzipFile(scan, path, st.size);
    return pump(scan, createReadStream(path, { highWaterMark: kind === 'other' ? FILE_READ_CHUNK : READ_CHUNK }), st.size);
  });
}

/** Reads a download (Slack file) as it arrives; archives are never held whole in memory. With a folder, as scanPath. */
export async function scanStream(
  name: string,
  stream: Readable,
  ctx: ReadContext,
  size?: number,
  readers: readonly Reader[] = allReaders,
  folder?: FactFolder,
): Promise<ScanResult> {
  if (size !== undefined && size > ctx.limits.maxInputBytes) {
    stream.destroy();
    return failed(name, ctx, readers, 'input.too_large', `is ${size} bytes, over the input limit of ${ctx.limits.maxInputBytes} bytes; not read`);
  }
  const scan = new Scan(name, ctx.limits, readers, ctx, size, openNestedArchive, folder);
  return run(scan, () => pump(scan, stream, size));
}

/** Streams an input through its readers; returns the whole input when it is small enough to be values a person saved (see paste/file.ts). */
async function pump(scan: Scan, source: Readable, size: number | undefined): Promise<Buffer | undefined> {
  addAbortSignal(scan.signal, source);
  const head = new ValuesFileHead();
  const sink = new Member(scan, { input: scan.input, ...(size !== undefined ? { size } : {}) }, { depth: 0, topLevel: true });
  try {
    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      scan.addInput(buf.length);
      head.add(buf);
      const r = sink.write(buf);
      if (r) await r;
      if (scan.shouldYield()) await scan.yieldNow();
    }
    await sink.end();
    return head.whole();
  } catch (e) {
    sink.abort();
    throw e;
  } finally {
    source.destroy();
  }
}

/**
 * A .tar.gz (or other gzip file) on disk, read into two buffers in turn
 * rather than a new one per read: the next read fills one while zlib inflates
 * the other. A write that had to wait returns once zlib has consumed the chunk
 * (its input queue holds less than one read), so that buffer is free again;
 * one that did not wait may still be queued, and is replaced. A bundle's
 * hundreds of 1 MiB reads then leave no garbage behind: on a small heap, that
 * churn of buffers brought on repeated full collections.
 */
async function pumpGzipFile(scan: Scan, path: string, size: number): Promise<void> {
  const sink = new Member(scan, { input: scan.input, size }, { depth: 0, topLevel: true });
  const fh = await open(path, 'r');
  const buffers = [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)];
  let which = 0;
  let pos = 0;
  let next: Promise<{ bytesRead: number }> | undefined = fh.read(buffers[0]!, 0, READ_CHUNK, 0);
  try {
    for (;;) {
      const { bytesRead } = await next;
      next = undefined;
      if (bytesRead === 0) break;
      scan.addInput(bytesRead);
      const chunk = buffers[which]!.subarray(0, bytesRead);
      pos += bytesRead;
      const other = which ^ 1;
      next = fh.read(buffers[other]!, 0, READ_CHUNK, pos);
      const r = sink.write(chunk);
      if (r) await r;
      else buffers[which] = Buffer.allocUnsafe(READ_CHUNK);
      which = other;
      if (scan.shouldYield()) await scan.yieldNow();
    }
    await sink.end();
  } catch (e) {
    sink.abort();
    throw e;
  } finally {
    // A read still under way must not land in a buffer after the file is closed.
    await next?.catch(() => undefined);
    await fh.close();
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: the folder and stream scans are Promise<void>; only a lone file returns its bytes
async function run(scan: Scan, body: (scan: Scan) => Promise<Buffer | undefined | void>): Promise<ScanResult> {
  // biome-ignore lint/suspicious/noConfusingVoidType: as body's
  let whole: Buffer | undefined | void;
  try {
    whole = await body(scan);
  } catch (e) {
    const stop = e instanceof ScanStop ? e : scan.stopped;
    if (stop) scan.stopProblem(stop);
    else scan.problem('input.unreadable', `could not be read: ${(e as Error).message}`, scan.current);
  } finally {
    scan.finish();
  }
  noteArchiveName(scan);
  if (whole && !scan.stopped) readAsValues(scan, whole);
  // Every input answers: one that gave neither a fact nor a problem would otherwise vanish from the report.
  if (!scan.factCount && !scan.problems.length) scan.problems.push({ input: scan.input, code: 'input.unrecognised', message: UNRECOGNISED });
  await scan.settleAll();
  scan.done();
  return {
    facts: scan.facts,
    problems: scan.problems,
    counts: { ...scan.counts, entries: scan.entries, inputBytes: scan.inputBytes, expandedBytes: scan.expandedBytes, textBytes: scan.textBytes },
  };
}

/**
 * The fallback for a small text file no reader recognised: the topic,
 * PushMagic and token lines a person would paste, saved to a file. Its
 * values are placed by the file's name and line, and replace the
 * "not recognised" problem; a file without values keeps that problem.
 */
function readAsValues(scan: Scan, whole: Buffer): void {
  // Facts that say only "a log with nothing of the push path in it" leave the file to be read as values.
  const empty = scan.facts.filter(saysNothing).length;
  if (scan.factCount > empty || scan.problems.some((p) => p.code !== 'input.unrecognised')) return;
  const { facts, problems } = valuesFromFile(whole, { input: scan.input });
  if (!facts.length && !problems.length) return;
  scan.problems.splice(0, scan.problems.length, ...problems);
  // Read as values, it is not a log without push-path lines (that would say the device's logs show nothing).
  if (empty) scan.facts.splice(0, scan.facts.length, ...scan.facts.filter((f) => !saysNothing(f)));
  for (const f of facts) scan.facts.push(f);
}

/** A sysdiagnose archive without a top folder still names the device in its own file name. */
function noteArchiveName(scan: Scan): void {
  if (scan.sysdiagnoseSeen.size) return;
  const name = basename(scan.input);
  if (!name.startsWith('sysdiagnose')) return;
  for (const f of sysdiagnoseFacts(name, { kind: 'file', input: scan.input })) scan.facts.push(f);
}

function failed(input: string, ctx: ReadContext, readers: readonly Reader[], code: string, message: string): ScanResult {
  const scan = new Scan(input, { ...ctx.limits, timeoutMs: 0 }, readers, ctx, undefined, openNestedArchive);
  scan.problem(code, message);
  scan.finish();
  return { facts: [], problems: scan.problems, counts: { ...scan.counts, entries: 0, inputBytes: 0, expandedBytes: 0, textBytes: 0 } };
}
