import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** An input written for the tests, as a path (test/fixtures/<path>). */
export const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url).pathname;

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.text += chunk.toString('utf8');
    cb();
  }
}

/** Runs the CLI in-process, as a user would from a shell, and captures what it prints. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await main(argv, { out, err, isTTY: false });
  return { code, out: out.text, err: err.text };
}
