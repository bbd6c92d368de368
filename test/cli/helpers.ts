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

/** The items of every "Needs:" field of a full text report (`--detail full`). */
export function needsItems(out: string): string[] {
  const items: string[] = [];
  let inside = false;
  for (const line of out.split('\n')) {
    if (line.startsWith('  Needs:  ')) {
      inside = true;
      items.push(line.slice(10));
    } else if (inside && /^ {10}\S/.test(line)) items.push(line.slice(10));
    else inside = false;
  }
  return items;
}
