/**
 * Where each line of unwrapped text (text/unwrap.ts) came from in the file:
 * a record over many lines (journalctl's json-pretty, a CSV row whose quoted
 * message runs over lines) gives fewer lines than it took, and a message
 * holding newlines (a stack trace inside one Docker record) gives more. A
 * fact read from an inner line must still name the line of the file where
 * its record starts.
 *
 * Lines are noted as they are written and looked up as they are read, both
 * in order, so only the runs between the two are kept: a few per chunk,
 * whatever the size of the log.
 */
export class LineOrigin {
  /** Runs, flat: first output line, its file line, step (1: one file line each; 0: all from that file line). */
  private runs: number[] = [];
  /** The first run not yet passed by a lookup (an index into `runs`). */
  private at = 0;
  /** Output lines noted so far. */
  private lines = 0;
  /** The file line of the last output line noted, and whether its run is still of length one. */
  private last = 0;
  private single = false;

  /** The next output line comes from file line `line`. */
  note(line: number): void {
    const n = ++this.lines;
    const r = this.runs;
    const tail = r.length - 3;
    if (tail >= this.at) {
      if (this.single && (line === this.last + 1 || line === this.last)) {
        r[tail + 2] = line - this.last;
        this.single = false;
        this.last = line;
        return;
      }
      if (!this.single && line === this.last + r[tail + 2]!) {
        this.last = line;
        return;
      }
    }
    r.push(n, line, 1);
    this.last = line;
    this.single = true;
  }

  /** The file line output line `n` came from; lookups go forward (an earlier one gives the run's start). */
  of(n: number): number {
    const r = this.runs;
    while (this.at + 3 < r.length && r[this.at + 3]! <= n) this.at += 3;
    if (this.at >= r.length) return n;
    // Runs passed by are dropped once they are many (a log of a million short records).
    if (this.at >= 3000) {
      r.splice(0, this.at);
      this.at = 0;
    }
    const start = r[this.at]!;
    return n < start ? n : r[this.at + 1]! + r[this.at + 2]! * (n - start);
  }

  /**
   * The file line output line `n` came from, in any order, for lines no
   * lookup with `of` has passed yet (a paste's structured readers, which see
   * the whole unwrapped text before its lines are fed).
   */
  lineAt(n: number): number {
    const r = this.runs;
    let lo = this.at / 3;
    let hi = r.length / 3 - 1;
    if (hi < lo || n < r[this.at]!) return n;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (r[mid * 3]! <= n) lo = mid;
      else hi = mid - 1;
    }
    return r[lo * 3 + 1]! + r[lo * 3 + 2]! * (n - r[lo * 3]!);
  }
}
