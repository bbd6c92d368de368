import type { Reports } from './notnowEvents.js';

/**
 * One log line is one status report. When two readers took a status from the
 * same line (a device-log reader can match a server's "status=NotNow"), the
 * reading that names the device counts, so the sequence is not doubled.
 * Returns the status reports to keep, in order, or undefined when all are kept as they are.
 */
export function onePerLine(reports: Reports, n: number): number[] | undefined {
  if (inLineOrder(reports, n)) return undefined;
  // Per input and value, the report chosen for each line.
  const byInput = new Map<string, Map<string, LineTable>>();
  const lineless: number[] = [];
  const bucket = (r: number) => {
    const input = reports.inputKey(r);
    let byValue = byInput.get(input);
    if (!byValue) byInput.set(input, (byValue = new Map()));
    const value = reports.status(r)!;
    let t = byValue.get(value);
    if (!t) byValue.set(value, (t = new LineTable()));
    return t;
  };
  // First pass: how far each table's lines go, so that a dense log gets an array rather than a map.
  for (let r = 0; r < n; r++) {
    const line = reports.line(r);
    if (line) bucket(r).see(line);
  }
  let doubled = false;
  for (let r = 0; r < n; r++) {
    const line = reports.line(r);
    if (!line) {
      lineless.push(r);
      continue;
    }
    const byLine = bucket(r);
    const prev = byLine.get(line);
    if (prev >= 0) doubled = true;
    if (prev < 0 || (!reports.fact(prev).attrs?.udid && reports.fact(r).attrs?.udid)) byLine.set(line, r);
  }
  if (!doubled && !lineless.length) return undefined;
  // Each line's reading in the place its first reading had (the order the events are numbered in).
  const out = lineless;
  const placed = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const line = reports.line(r);
    if (!line) continue;
    const chosen = bucket(r).get(line);
    if (!placed[chosen]) {
      placed[chosen] = 1;
      out.push(chosen);
    }
  }
  return out;
}

/** Report by line number: an array when the lines are dense (a busy log), else a map. */
class LineTable {
  private max = 0;
  private count = 0;
  private dense?: Int32Array;
  private sparse?: Map<number, number>;

  see(line: number): void {
    if (line > this.max) this.max = line;
    this.count++;
  }

  private ready(): void {
    if (this.dense || this.sparse) return;
    if (this.max <= 4 * this.count + 1024) this.dense = new Int32Array(this.max + 1).fill(-1);
    else this.sparse = new Map();
  }

  get(line: number): number {
    this.ready();
    return this.dense ? (this.dense[line] ?? -1) : (this.sparse!.get(line) ?? -1);
  }

  set(line: number, r: number): void {
    this.ready();
    if (this.dense) this.dense[line] = r;
    else this.sparse!.set(line, r);
  }
}

/**
 * Whether each log's reports of each status come in rising line order, every one with a line: then no line
 * was read twice, and no table of half a million lines need be made to find out (one reader's reports of a log).
 */
function inLineOrder(reports: Reports, n: number): boolean {
  const last = new Map<string, Map<string, { line: number }>>();
  let input: string | undefined;
  let value: string | undefined;
  let at: { line: number } | undefined;
  for (let r = 0; r < n; r++) {
    const line = reports.line(r);
    if (!line) return false;
    const i = reports.inputKey(r);
    const v = reports.status(r)!;
    if (i !== input || v !== value || !at) {
      input = i;
      value = v;
      let byValue = last.get(i);
      if (!byValue) last.set(i, (byValue = new Map()));
      at = byValue.get(v);
      if (!at) byValue.set(v, (at = { line: 0 }));
    }
    if (line <= at.line) return false;
    at.line = line;
  }
  return true;
}
