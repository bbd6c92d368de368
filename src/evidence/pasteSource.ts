import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Problem } from '../facts/schema.js';
import type { Limits } from './types.js';

/** Text to read as a paste, and the problem when it was refused or cut. */
export interface PasteSource {
  text?: string;
  problem?: Problem;
}

/**
 * What a path is when it is not a regular file, in words; undefined for a
 * regular file. Devices and FIFOs are refused by type before they are
 * opened: /dev/zero never ends, and opening a FIFO without a writer never
 * returns.
 */
export function notAFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Pasted text is held whole, so it gets the cap of one structured member. */
const capOf = (limits: Pick<Limits, 'maxMemberBytes'>) => limits.maxMemberBytes;

const cutProblem = (input: string, cap: number): Problem => ({
  input,
  code: 'input.too_large',
  message: `is more than ${cap} bytes, the limit for pasted text; only the first ${cap} bytes were read (pass a large log as a path instead)`,
});

/**
 * Reads a file named with --paste-file: a regular file up to the paste cap
 * (read by size, so a file that grows while it is read is still cut there);
 * anything else is refused by its type.
 */
export async function readPasteFile(path: string, limits: Pick<Limits, 'maxMemberBytes'>): Promise<PasteSource> {
  const cap = capOf(limits);
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    return { problem: { input: path, code: 'input.unreadable', message: `could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
  }
  const kind = notAFile(st);
  if (kind) {
    const hint = path.startsWith('/dev/std') || path.startsWith('/proc/') ? ' (use --paste-file - for standard input)' : '';
    return { problem: { input: path, code: 'input.not_a_file', message: `is ${kind}, not a file; only regular files are read as pasted text${hint}` } };
  }
  if (st.size > cap) {
    return {
      problem: {
        input: path,
        code: 'input.too_large',
        message: `is ${st.size} bytes, over the ${cap}-byte limit for pasted text; pass it as a path instead (pushcheck diagnose ${path})`,
      },
    };
  }
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(cap + 1);
      let n = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, n, buf.length - n, null);
        if (!bytesRead) break;
        n += bytesRead;
        if (n === buf.length) break;
      }
      if (n > cap) return { text: buf.toString('utf8', 0, cap), problem: cutProblem(path, cap) };
      return { text: buf.toString('utf8', 0, n) };
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { problem: { input: path, code: 'input.unreadable', message: `could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
  }
}

/** Bytes of a stream in one buffer that doubles as they arrive. */
class Held {
  private buf = Buffer.allocUnsafe(64 * 1024);
  length = 0;
  add(chunk: Buffer): void {
    if (this.length + chunk.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + chunk.length));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    chunk.copy(this.buf, this.length);
    this.length += chunk.length;
  }
  text(): string {
    return this.buf.toString('utf8', 0, this.length);
  }
}

/**
 * Reads pasted text from a stream (standard input), up to the paste cap and
 * the time limit: `< /dev/zero` or a pipe that never closes must not grow
 * or hang. What arrived before the cut is kept.
 */
export async function readPasteStream(stream: Readable, label: string, limits: Pick<Limits, 'maxMemberBytes' | 'timeoutMs'>): Promise<PasteSource> {
  const cap = capOf(limits);
  // Each chunk is copied as it arrives and let go: chunks kept for one concat lived long enough to
  // reach the old generation, and 300 MB on standard input held 32 MiB of them twice over.
  const held = new Held();
  let cut = false;
  let timedOut = false;
  const timer =
    limits.timeoutMs > 0 && Number.isFinite(limits.timeoutMs)
      ? setTimeout(() => {
          timedOut = true;
          stream.destroy();
        }, limits.timeoutMs)
      : undefined;
  timer?.unref();
  try {
    for await (const c of stream) {
      const chunk = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
      const room = cap - held.length;
      if (chunk.length > room) {
        held.add(chunk.subarray(0, room));
        cut = true;
        break;
      }
      held.add(chunk);
    }
  } catch (e) {
    if (!timedOut)
      return {
        text: held.text(),
        problem: { input: label, code: 'input.unreadable', message: `could not be read to the end: ${(e as Error).message}` },
      };
  } finally {
    if (timer) clearTimeout(timer);
    // Stop reading: the rest is never wanted, and an endless source must let the process exit.
    if (cut || timedOut) stream.destroy();
  }
  const text = held.text();
  if (cut) return { text, problem: cutProblem(label, cap) };
  if (timedOut)
    return {
      text,
      problem: { input: label, code: 'input.timeout', message: `did not end within the time limit of ${limits.timeoutMs} ms; what arrived before was read` },
    };
  return { text };
}
