import { tmpdir } from 'node:os';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAY_MATTER_NEEDLES } from '../src/evidence/text/messages.js';

/**
 * Micro-benchmark of the line feeder's candidate-line search (not a test):
 * which lines of a log hold one of the prefilter's needles or start with one
 * of its start bytes. Every variant walks the same chunks, counts the same
 * lines and must report the same candidates (count and sum of line numbers).
 *
 *   node --import tsx bench/needles.bench.ts [dir of extracted text logs] [needles,comma,separated]
 *
 * The directory defaults to pcbench-text in the temp folder (extract the bench archive's
 * *.log and *.txt members there). Chunks split the concatenated logs every
 * 1 MiB, as gunzip's output buffers split an archive's members.
 *
 * Measured on the 300 MB bench archive's 135 MiB of text (2388 logs, 2 cores,
 * best of 5-7): walking newlines alone 25 ms; the feeder's per-needle
 * Buffer.indexOf 100-112 ms; a latin1 copy alone 42-47 ms, so every variant
 * on a latin1 string loses before it searches (one global alternation
 * 172-189 ms, per-needle String.indexOf 136-146 ms, a regex from line start
 * to needle 273 ms); needles grouped by first byte 97-105 ms (within noise).
 * Buffer.indexOf is memchr on a needle's first byte: a pass costs ~12 ms
 * when that byte is rare and more per stop; "urier" ("u" is 2.3% of bytes)
 * is ~38 ms of the ~80, and no substring of "ourier" starts with a rarer byte.
 */
const dir = process.argv[2] ?? join(tmpdir(), 'pcbench-text');
const needles = process.argv[3] ? process.argv[3].split(',') : [...MAY_MATTER_NEEDLES];
const START = [32, 34, 91, 123, 125];
const CHUNK = 1 << 20;
const ROUNDS = Number(process.env.ROUNDS ?? 5);

function walk(d: string, out: string[] = []): string[] {
  for (const n of readdirSync(d).sort()) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Each log as its list of chunks. */
const logs: Buffer[][] = [];
let total = 0;
for (const p of walk(dir)) {
  const b = readFileSync(p);
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < b.length) {
    const room = CHUNK - (total % CHUNK);
    const n = Math.min(room, b.length - at);
    chunks.push(b.subarray(at, at + n));
    at += n;
    total += n;
  }
  logs.push(chunks);
}

const start = new Uint8Array(256);
for (const b of START) start[b] = 1;
const needleBufs = needles.map((n) => Buffer.from(n, 'latin1'));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = new RegExp(needles.map(escape).join('|'), 'g');

interface Result {
  lines: number;
  candidates: number;
  sum: number;
}

/**
 * Lines wholly inside a chunk are judged; a line split between chunks is
 * always a candidate (the feeder never skips a carried line).
 */
type Variant = (chunks: Buffer[], r: Result) => void;

/** What the feeder did before: Buffer.indexOf once per needle, each needle's next hit kept. */
const perNeedleIndexOf: Variant = (chunks, r) => {
  let lineNo = 1;
  let carry = false;
  for (const chunk of chunks) {
    const hits = needleBufs.map(() => -2);
    let nextHit = -1;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        carry = true;
        break;
      }
      let skip = !carry && !start[chunk[pos]!];
      if (skip) {
        if (pos > nextHit) {
          let min = Infinity;
          for (let i = 0; i < needleBufs.length; i++) {
            let h = hits[i]!;
            if (h !== -1 && h < pos) hits[i] = h = chunk.indexOf(needleBufs[i]!, pos);
            if (h >= 0 && h < min) min = h;
          }
          nextHit = min;
        }
        skip = nextHit >= nl;
      }
      if (!skip) {
        r.candidates++;
        r.sum += lineNo;
      }
      carry = false;
      lineNo++;
      pos = nl + 1;
    }
  }
  if (carry) {
    r.candidates++;
    r.sum += lineNo;
  }
  r.lines += lineNo;
};

/** One latin1 copy of the chunk; one global alternation finds the next hit of any needle; newlines found in the Buffer. */
const regexBufNewlines: Variant = (chunks, r) => {
  let lineNo = 1;
  let carry = false;
  for (const chunk of chunks) {
    const text = chunk.toString('latin1');
    let nextHit = -1;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        carry = true;
        break;
      }
      let skip = !carry && !start[chunk[pos]!];
      if (skip) {
        if (pos > nextHit) {
          alternation.lastIndex = pos;
          nextHit = alternation.exec(text)?.index ?? Infinity;
        }
        skip = nextHit >= nl;
      }
      if (!skip) {
        r.candidates++;
        r.sum += lineNo;
      }
      carry = false;
      lineNo++;
      pos = nl + 1;
    }
  }
  if (carry) {
    r.candidates++;
    r.sum += lineNo;
  }
  r.lines += lineNo;
};

/** As above, but newlines and start bytes are read from the latin1 string too (no call into the Buffer binding per line). */
const regexStrNewlines: Variant = (chunks, r) => {
  let lineNo = 1;
  let carry = false;
  for (const chunk of chunks) {
    const text = chunk.toString('latin1');
    let nextHit = -1;
    let pos = 0;
    const len = text.length;
    while (pos < len) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) {
        carry = true;
        break;
      }
      let skip = !carry && !start[text.charCodeAt(pos)];
      if (skip) {
        if (pos > nextHit) {
          alternation.lastIndex = pos;
          nextHit = alternation.exec(text)?.index ?? Infinity;
        }
        skip = nextHit >= nl;
      }
      if (!skip) {
        r.candidates++;
        r.sum += lineNo;
      }
      carry = false;
      lineNo++;
      pos = nl + 1;
    }
  }
  if (carry) {
    r.candidates++;
    r.sum += lineNo;
  }
  r.lines += lineNo;
};

/** Per-needle indexOf on the latin1 string (String.prototype.indexOf, no binding call). */
const perNeedleStr: Variant = (chunks, r) => {
  let lineNo = 1;
  let carry = false;
  for (const chunk of chunks) {
    const text = chunk.toString('latin1');
    const hits = needles.map(() => -2);
    let nextHit = -1;
    let pos = 0;
    const len = text.length;
    while (pos < len) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) {
        carry = true;
        break;
      }
      let skip = !carry && !start[text.charCodeAt(pos)];
      if (skip) {
        if (pos > nextHit) {
          let min = Infinity;
          for (let i = 0; i < needles.length; i++) {
            let h = hits[i]!;
            if (h !== -1 && h < pos) hits[i] = h = text.indexOf(needles[i]!, pos);
            if (h >= 0 && h < min) min = h;
          }
          nextHit = min;
        }
        skip = nextHit >= nl;
      }
      if (!skip) {
        r.candidates++;
        r.sum += lineNo;
      }
      carry = false;
      lineNo++;
      pos = nl + 1;
    }
  }
  if (carry) {
    r.candidates++;
    r.sum += lineNo;
  }
  r.lines += lineNo;
};

/**
 * Needles grouped by first byte: one Buffer.indexOf per distinct first byte
 * (e.g. "MDM" and "Mana" share "M"), the rest of each needle compared in JS
 * at every stop. Fewer passes, but one call into the binding per stop.
 */
const groups = new Map<number, Buffer[]>();
for (const n of needleBufs) groups.set(n[0]!, [...(groups.get(n[0]!) ?? []), n]);
const groupList = [...groups].map(([first, ns]) => ({ first, single: ns.length === 1 ? ns[0]! : undefined, ns }));
function groupNext(chunk: Buffer, g: (typeof groupList)[number], pos: number): number {
  if (g.single) return chunk.indexOf(g.single, pos);
  for (;;) {
    const i = chunk.indexOf(g.first, pos);
    if (i < 0) return -1;
    outer: for (const n of g.ns) {
      if (i + n.length > chunk.length) continue;
      for (let k = 1; k < n.length; k++) if (chunk[i + k] !== n[k]) continue outer;
      return i;
    }
    pos = i + 1;
  }
}
const groupedByFirstByte: Variant = (chunks, r) => {
  let lineNo = 1;
  let carry = false;
  for (const chunk of chunks) {
    const hits = groupList.map(() => -2);
    let nextHit = -1;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        carry = true;
        break;
      }
      let skip = !carry && !start[chunk[pos]!];
      if (skip) {
        if (pos > nextHit) {
          let min = Infinity;
          for (let i = 0; i < groupList.length; i++) {
            let h = hits[i]!;
            if (h !== -1 && h < pos) hits[i] = h = groupNext(chunk, groupList[i]!, pos);
            if (h >= 0 && h < min) min = h;
          }
          nextHit = min;
        }
        skip = nextHit >= nl;
      }
      if (!skip) {
        r.candidates++;
        r.sum += lineNo;
      }
      carry = false;
      lineNo++;
      pos = nl + 1;
    }
  }
  if (carry) {
    r.candidates++;
    r.sum += lineNo;
  }
  r.lines += lineNo;
};

/** latin1 copy; one regex matches from a line's start to its first needle, so its index is the next candidate line's start. */
const fromLineStart = new RegExp(`^[^\\n]*?(?:${needles.map(escape).join('|')})`, 'gm');
const regexFromLineStart: Variant = (chunks, r) => {
  let lineNo = 1;
  let carry = false;
  for (const chunk of chunks) {
    const text = chunk.toString('latin1');
    let nextLine = -1;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        carry = true;
        break;
      }
      let skip = !carry && !start[chunk[pos]!];
      if (skip) {
        if (pos > nextLine) {
          fromLineStart.lastIndex = pos;
          nextLine = fromLineStart.exec(text)?.index ?? Infinity;
        }
        skip = nextLine !== pos;
      }
      if (!skip) {
        r.candidates++;
        r.sum += lineNo;
      }
      carry = false;
      lineNo++;
      pos = nl + 1;
    }
  }
  if (carry) {
    r.candidates++;
    r.sum += lineNo;
  }
  r.lines += lineNo;
};

/** Only the cost of walking the lines (newline search and line count), no needles: the floor. */
const newlinesOnlyBuf: Variant = (chunks, r) => {
  let lineNo = 1;
  for (const chunk of chunks) {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) break;
      lineNo++;
      pos = nl + 1;
    }
  }
  r.lines += lineNo;
};
const latin1Only: Variant = (chunks, r) => {
  for (const chunk of chunks) r.sum += chunk.toString('latin1').length;
};

const variants: Record<string, Variant> = {
  'floor: newlines via Buffer.indexOf': newlinesOnlyBuf,
  'floor: latin1 decode only': latin1Only,
  'per-needle Buffer.indexOf (current)': perNeedleIndexOf,
  'latin1 + one RegExp, Buffer newlines': regexBufNewlines,
  'latin1 + one RegExp, string newlines': regexStrNewlines,
  'latin1 + per-needle String.indexOf': perNeedleStr,
  'grouped by first byte, Buffer.indexOf': groupedByFirstByte,
  'latin1 + RegExp from line start': regexFromLineStart,
};

console.log(`${logs.length} logs, ${(total / 2 ** 20).toFixed(1)} MiB, needles ${JSON.stringify(needles)}, best of ${ROUNDS}`);
let reference: Result | undefined;
for (const [name, v] of Object.entries(variants)) {
  let best = Infinity;
  let res: Result = { lines: 0, candidates: 0, sum: 0 };
  for (let i = 0; i < ROUNDS; i++) {
    res = { lines: 0, candidates: 0, sum: 0 };
    const t = performance.now();
    for (const log of logs) v(log, res);
    best = Math.min(best, performance.now() - t);
  }
  let check = '';
  if (!name.startsWith('floor')) {
    reference ??= res;
    check = res.candidates === reference.candidates && res.sum === reference.sum && res.lines === reference.lines ? 'same' : `DIFFERS ${JSON.stringify(res)} vs ${JSON.stringify(reference)}`;
  }
  console.log(`${name.padEnd(40)} ${best.toFixed(1).padStart(7)} ms  lines ${res.lines} candidates ${res.candidates} ${check}`);
}
