import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { itemName, type Item, type Reader } from '../../src/evidence/types.js';
import { fragmentsOfReader } from './fragments.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs of one character (or a short pair) that break naive patterns: `\\*"`, `\s*:\s*`, `".*"`, `(\d+)+`. */
export const RUNS = ['\\', '"', ' ', '\t', 'a', '0', '\\"', 'a ', '0.', ': ', '=', ',', '"a",', '{"a":', '[', '<', '<a>', '%', '-', '/', "'", '.'];

/** One adversarial text: its lines are made at a given length. */
export interface Shape {
  name: string;
  /** The line at this many characters (exactly, so growth can be compared). */
  line(length: number): string;
  /** How many copies of the line the text holds (whole-text patterns see several). */
  copies: number;
}

const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/**
 * The shapes for one reader: every generic run; every literal fragment its
 * patterns look for, repeated to the length; and each run after a prefix
 * holding all of those fragments, so the reader's gates ("is this line about
 * push?") let the run through to the patterns behind them.
 */
export function shapesFor(readerId: string): Shape[] {
  const fragments = fragmentsOfReader(readerId);
  const keywords = fragments.join(' ');
  const shapes: Shape[] = [];
  for (const run of RUNS) shapes.push({ name: `run ${JSON.stringify(run)}`, line: (n) => fill(run, n), copies: 12 });
  for (const run of RUNS) {
    shapes.push({
      name: `keywords + run ${JSON.stringify(run)}`,
      line: (n) => (keywords.length < n / 2 ? `${keywords} ${fill(run, n - keywords.length - 1)}` : fill(run, n)),
      copies: 1,
    });
  }
  for (const f of fragments) {
    shapes.push({ name: `fragment ${JSON.stringify(f)} repeated`, line: (n) => fill(f, n), copies: 1 });
    // The fragment once, then a run of its own last character: `"reason\\\\\\…`, `<key>>>>…`.
    const last = f[f.length - 1]!;
    shapes.push({ name: `fragment ${JSON.stringify(f)} then its last character`, line: (n) => (f + fill(last, n)).slice(0, n), copies: 1 });
  }
  return shapes;
}

/** A context a reader meets adversarial lines in: a preamble from a real file of its kind, and how the item is named. */
export interface Setting {
  name: string;
  item: Item;
  preamble: string;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Readers that look only at a member's path, never at its content (they may assume accepts() said yes). */
export const NAME_ONLY: readonly string[] = ['text.log-archive'];

/** Sample files a reader meets the shapes after: enough to reach its format's code paths, few enough to stay quick. */
const MAX_SAMPLES = 3;

const SAMPLES = [...filesUnder(join(ROOT, 'test/fixtures')), ...filesUnder(join(ROOT, 'examples'))].filter((p) => !/\.(ts|md)$/.test(p));

/**
 * Where a reader meets the shapes: as a file it is named for (the first
 * lines of each sample file it accepts come first, so it has recognised its
 * format by then), as a file with a neutral name, and pasted.
 */
export function settingsFor(reader: Reader): Setting[] {
  // Settings the reader accepts come first; a reader that accepts neither (binary formats, picked by
  // their first bytes) still gets both, since its read() must cope with any bytes. Only readers that
  // look at nothing but a member's path are left out: no line ever reaches them.
  const neutral: Setting[] = [
    { name: 'a file named hostile.log', item: { input: 'hostile.log' }, preamble: '' },
    { name: 'pasted', item: { input: 'pasted text', pasted: true }, preamble: '' },
  ];
  const accepted = neutral.filter((s) => reader.accepts(itemName(s.item), Buffer.from('a'), s.item));
  const settings: Setting[] = NAME_ONLY.includes(reader.id) ? [] : accepted.length ? accepted : neutral;
  const seen = new Set<string>();
  // Samples from the reader's own domain first (test/fixtures/apns for apns.*), then the rest.
  const own = `/${reader.id.split('.')[0]}/`;
  const samples = [...SAMPLES.filter((p) => p.includes(own)), ...SAMPLES.filter((p) => !p.includes(own))];
  let taken = 0;
  for (const p of samples) {
    if (taken >= MAX_SAMPLES) break;
    const data = readFileSync(p);
    if (data.includes(0)) continue; // binary: no lines to run into
    const name = basename(p);
    const item: Item = { input: `hostile.zip`, member: `logs/${name}` };
    if (!reader.accepts(name, data.subarray(0, 512), item) || seen.has(name)) continue;
    seen.add(name);
    taken++;
    const preamble = `${data.toString('utf8').split('\n').slice(0, 8).join('\n')}\n`;
    settings.push({ name: `after the start of ${name}`, item, preamble });
  }
  return settings;
}
