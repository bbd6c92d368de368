/**
 * Delimited text as Secure Mail and Excel write it: comma, semicolon (Excel
 * in many European locales), tab or pipe; fields optionally quoted with ""
 * escapes and line breaks inside quotes. Tolerant: a stray quote that never
 * closes does not swallow the rest of the file.
 */
export interface Row {
  cells: string[];
  /** 1-based line the row starts on. */
  line: number;
  /** The row's text as written (first physical line only for multi-line rows). */
  raw: string;
}

const DELIMS = [',', ';', '\t', '|'] as const;
/** A quoted field longer than this many lines is taken to be a stray quote. */
const MAX_QUOTED_LINES = 64;
/**
 * Cells split out of one row; the rest of the row stays in the last cell.
 * Real rows have a handful of columns, and a row of 65,000 delimiters must
 * not cost 65,000 cells' worth of matching.
 */
const MAX_CELLS = 64;
/**
 * Rows kept of one table: the first and the last (when failures began, and
 * how things stand now). A 200,000-row export must not turn into a million
 * facts; the rows in between are counted in a problem by the reader.
 */
const KEEP_FIRST_ROWS = 1000;
const KEEP_LAST_ROWS = 1000;

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let q = false;
  for (const ch of line) {
    if (ch === '"') q = !q;
    else if (ch === d && !q) n++;
  }
  return n;
}

/** The delimiter that splits the first lines most consistently, or null for free text. */
export function detectDelimiter(lines: readonly string[]): string | null {
  const sample = lines.filter((l) => l.trim()).slice(0, 30);
  if (!sample.length) return null;
  let best: { d: string; score: number } | null = null;
  for (const d of DELIMS) {
    const counts = sample.map((l) => countOutsideQuotes(l, d));
    const withIt = counts.filter((c) => c > 0).length;
    if (withIt < Math.ceil(sample.length / 2)) continue;
    const sorted = [...counts].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const same = counts.filter((c) => c === median).length;
    const score = median > 0 ? same / sample.length + median / 100 : 0;
    if (score > 0 && (!best || score > best.score)) best = { d, score };
  }
  return best?.d ?? null;
}

function splitPlain(line: string, d: string): string[] {
  const cells = line.split(d, MAX_CELLS);
  if (cells.length === MAX_CELLS) {
    let at = -1;
    for (let k = 0; k < MAX_CELLS - 1; k++) at = line.indexOf(d, at + 1);
    cells[MAX_CELLS - 1] = line.slice(at + 1);
  }
  return cells.map((c) => c.trim());
}

/** Rows of a table, and how many rows in its middle were passed over (see KEEP_FIRST_ROWS). */
export interface Rows extends Array<Row> {
  skipped?: { rows: number; fromLine: number; toLine: number };
}

/** Splits `text` into rows of cells; blank lines are skipped; only the first and last rows of a huge table are kept. */
export function parseRows(text: string, delim: string | null): Rows {
  const first: Row[] = [];
  // The last rows in a ring, so the rows in between are never all held at once.
  const ring: Row[] = [];
  let next = 0;
  let total = 0;
  let fromLine = 0;
  const keep = (row: Row) => {
    total++;
    if (first.length < KEEP_FIRST_ROWS) {
      first.push(row);
      return;
    }
    if (ring.length < KEEP_LAST_ROWS) ring.push(row);
    else {
      if (!fromLine) fromLine = ring[next]!.line;
      ring[next] = row;
      next = (next + 1) % KEEP_LAST_ROWS;
    }
  };
  eachRow(text, delim, keep);
  const rows: Rows = [...first, ...ring.slice(next), ...ring.slice(0, next)];
  if (total > rows.length) rows.skipped = { rows: total - rows.length, fromLine, toLine: rows[KEEP_FIRST_ROWS]!.line - 1 };
  return rows;
}

/** The problem a reader reports when parseRows passed rows over. */
export function skippedRowsMessage(rows: Rows): string | undefined {
  const s = rows.skipped;
  return (
    s &&
    `holds more rows than are read from one table: the first ${KEEP_FIRST_ROWS} and the last ${KEEP_LAST_ROWS} rows were read, ${s.rows} rows in between (lines ${s.fromLine}–${s.toLine}) were not`
  );
}

function eachRow(text: string, delim: string | null, emit: (row: Row) => void): void {
  for (const row of rowsOf(text, delim)) emit(row);
}

/**
 * The lines of a text one at a time, from the text or its chunks, never split
 * into an array of them all (a 200,000-row table would hold 200,000 strings
 * at once), with a window of lines ahead kept only while a quoted field spans lines.
 */
class LineCursor {
  private readonly ahead: string[] = [];
  /** Index (0-based line number) of ahead[0]. */
  private base = 0;
  private text = '';
  private pos = 0;
  private done = false;
  private static readonly BREAK = /\r\n|\n|\r/g;

  constructor(private readonly chunks: Iterator<string>) {}

  /** Line number i (0-based), or undefined past the end. Lines before the last `drop` are gone. */
  at(i: number): string | undefined {
    while (i - this.base >= this.ahead.length && !this.done) this.pull();
    return this.ahead[i - this.base];
  }

  /** Forgets the lines before line i. */
  drop(i: number): void {
    const n = Math.min(i - this.base, this.ahead.length);
    if (n > 0) {
      this.ahead.splice(0, n);
      this.base += n;
    }
  }

  private pull(): void {
    const re = LineCursor.BREAK;
    for (;;) {
      re.lastIndex = this.pos;
      const m = re.exec(this.text);
      // A break at the very end of a chunk may be the first half of \r\n: the next chunk says.
      if (m && (m.index + m[0].length < this.text.length || m[0] === '\r\n' || m[0] === '\n' || !this.more())) {
        this.ahead.push(this.text.slice(this.pos, m.index));
        this.pos = m.index + m[0].length;
        return;
      }
      if (!m && !this.more()) {
        this.ahead.push(this.text.slice(this.pos));
        this.done = true;
        return;
      }
    }
  }

  /** Appends the next chunk to what is left of the text; false at the end. */
  private more(): boolean {
    const next = this.chunks.next();
    if (next.done) return false;
    this.text = this.text.slice(this.pos) + next.value;
    this.pos = 0;
    return true;
  }
}

/** The rows of `text` (or its chunks) in order, read line by line; blank lines are skipped. */
export function rowsOf(text: string | Iterable<string>, delim: string | null): Generator<Row> {
  // A source that is all there never runs dry, so MORE_TEXT is never given.
  return rows(new LineCursor((typeof text === 'string' ? [text] : text)[Symbol.iterator]()), delim) as Generator<Row>;
}

/** Given by `TextQueue.rows` when the text so far ends before the next row does: add more, then ask again. */
export const MORE_TEXT = Symbol('more text');
/** Thrown by a TextQueue's iterator when it has no text yet but has not ended. */
const DRY = new Error('the text so far has been read');

/**
 * Text that arrives in pieces, split into the same rows as rowsOf would
 * split all of it: a row that reaches past the text so far (a line not yet
 * ended, a quoted field still open, a CR that may be half of a CRLF) waits
 * for more, and is read again from its start.
 */
export class TextQueue {
  private readonly pieces: string[] = [];
  private next = 0;
  private ended = false;
  readonly rows: Generator<Row | typeof MORE_TEXT>;

  constructor(delim: string | null) {
    const source: Iterator<string> = {
      next: () => {
        if (this.next < this.pieces.length) {
          const value = this.pieces[this.next]!;
          this.pieces[this.next++] = '';
          if (this.next === this.pieces.length) this.pieces.length = this.next = 0;
          return { done: false, value };
        }
        if (this.ended) return { done: true, value: undefined };
        throw DRY;
      },
    };
    this.rows = rows(new LineCursor(source), delim);
  }

  add(pieces: readonly string[]): void {
    for (const p of pieces) this.pieces.push(p);
  }

  end(): void {
    this.ended = true;
  }
}

function* rows(lines: LineCursor, delim: string | null): Generator<Row | typeof MORE_TEXT> {
  let i = 0;
  for (;;) {
    let row: Row;
    let next: number;
    try {
      const first = lines.at(i);
      if (first === undefined) return;
      lines.drop(i);
      if (!first.trim()) {
        i++;
        continue;
      }
      if (delim === null) {
        row = { cells: [first.trim()], line: i + 1, raw: first };
        next = i + 1;
      } else {
        // Most rows quote nothing: split as they are (the same cells parseQuoted gives them).
        const parsed = first.includes('"') ? parseQuoted(lines, i, delim) : null;
        row = parsed ? { cells: parsed.cells, line: i + 1, raw: first } : { cells: splitPlain(first, delim), line: i + 1, raw: first };
        next = parsed ? parsed.next : i + 1;
      }
    } catch (e) {
      if (e !== DRY) throw e;
      yield MORE_TEXT;
      continue;
    }
    i = next;
    yield row;
  }
}

/** RFC 4180-ish parse of one row starting at lines[start]; null when a quote never closes. */
function parseQuoted(lines: LineCursor, start: number, d: string): { cells: string[]; next: number } | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let atFieldStart = true;
  let li = start;
  let s = lines.at(li)!;
  let k = 0;
  for (;;) {
    if (k >= s.length) {
      if (!quoted) break;
      // A line break inside quotes belongs to the field.
      li++;
      const next = li - start > MAX_QUOTED_LINES ? undefined : lines.at(li);
      if (next === undefined) return null;
      cell += '\n';
      s = next;
      k = 0;
      continue;
    }
    const ch = s[k];
    if (quoted) {
      if (ch === '"') {
        if (s[k + 1] === '"') {
          cell += '"';
          k += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
      k++;
      continue;
    }
    if (ch === '"' && atFieldStart && !cell.trim()) {
      quoted = true;
      cell = '';
      atFieldStart = false;
    } else if (ch === d && cells.length < MAX_CELLS - 1) {
      cells.push(cell.trim());
      cell = '';
      atFieldStart = true;
    } else {
      cell += ch;
      if (ch !== ' ') atFieldStart = false;
    }
    k++;
  }
  cells.push(cell.trim());
  return { cells, next: li + 1 };
}

/**
 * Maps fields to column indexes from a header row. `fields` is tried in
 * order, each taking the first unused column its pattern matches; returns
 * null unless at least `min` fields are found.
 */
export function mapHeader<F extends string>(cells: readonly string[], fields: readonly (readonly [F, RegExp])[], min = 2): Map<F, number> | null {
  const used = new Set<number>();
  const map = new Map<F, number>();
  for (const [field, re] of fields) {
    const idx = cells.findIndex((c, i) => !used.has(i) && re.test(c.trim()));
    if (idx >= 0) {
      map.set(field, idx);
      used.add(idx);
    }
  }
  return map.size >= min ? map : null;
}
