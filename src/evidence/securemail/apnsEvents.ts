import { setImmediate as nextTurn } from 'node:timers/promises';
import { problemOf, type BufferReader, type ByteSink, type Item, type ReadResult } from '../types.js';
import { APNS_EVENTS_FILE } from './names.js';
import { EventFacts } from './eventFacts.js';

export { tokenRef } from './eventFacts.js';
import { detectDelimiter, mapHeader, MORE_TEXT, TextQueue, type Row } from './table.js';
import { TextPieces } from './decode.js';
import { isTimeCell, parseTimeZoned } from './time.js';

/**
 * CtxLog_APNS_Events.csv (Secure Mail 10.5.5+). Seed 003 lists its columns:
 * time, operation, completion status, tenant ID, listener service token,
 * and the tenant ID + token combination. Read by header names when there
 * is a header (any order), else in the order the seed lists them.
 */
type Field = 'time' | 'operation' | 'status' | 'combination' | 'tenant' | 'token';
const HEADER: (readonly [Field, RegExp])[] = [
  ['combination', /^(?=[\s\S]*tenant)(?=[\s\S]*token)|combin|\bkey\b/i],
  ['time', /^(date|time|timestamp|when)/i],
  ['operation', /operation|event|action|step/i],
  ['status', /status|result|outcome|state/i],
  ['tenant', /tenant/i],
  ['token', /token/i],
];
const POSITIONAL: Field[] = ['time', 'operation', 'status', 'tenant', 'token', 'combination'];

function columns(rows: Row[]): { map: Map<Field, number>; dataFrom: number } {
  const first = rows[0];
  const header = first && !first.cells.some(isTimeCell) ? mapHeader(first.cells, HEADER) : null;
  if (header) return { map: header, dataFrom: 1 };
  const map = new Map<Field, number>(POSITIONAL.map((f, i) => [f, i]));
  // No header: find the time column by content in case the columns were moved.
  const sample = rows.find((r) => r.cells.some(isTimeCell));
  const timeCol = sample?.cells.findIndex(isTimeCell) ?? 0;
  if (timeCol > 0) {
    const rest = POSITIONAL.filter((f) => f !== 'time');
    map.clear();
    map.set('time', timeCol);
    let k = 0;
    for (let i = 0; i < (sample?.cells.length ?? 6) && k < rest.length; i++) if (i !== timeCol) map.set(rest[k++], i);
  }
  return { map, dataFrom: 0 };
}

/** Rows looked at before the rest to tell a header from data and find the time column. */
const HEAD_ROWS = 1000;
/** Longest stretch of reading between two visits to the event loop (the bot keeps answering meanwhile). */
const SLICE_MS = 10;
/** Bytes decoded and split into rows at a time: a table given whole is still never held whole as text. */
const FEED_BYTES = 1 << 20;

/**
 * The table read as its bytes arrive (a 200,000-row export is never held
 * whole): rows are read as soon as the text holds them, the first
 * HEAD_ROWS of them once there, to tell the columns.
 */
class EventsTable implements ByteSink {
  private readonly text = new TextPieces();
  private table?: TextQueue;
  private readonly head: Row[] = [];
  private cell?: (r: Row, f: Field) => string;
  private readonly facts: EventFacts;
  private unreadable = 0;
  private since = performance.now();
  private n = 0;

  constructor(private readonly item: Item) {
    this.facts = new EventFacts(item);
  }

  async write(chunk: Buffer): Promise<void> {
    for (let at = 0; at < chunk.length; at += FEED_BYTES) {
      const pieces: string[] = [];
      this.text.add(chunk.subarray(at, at + FEED_BYTES), pieces);
      await this.take(pieces, false);
    }
  }

  async end(): Promise<ReadResult> {
    const pieces: string[] = [];
    this.text.end(pieces);
    await this.take(pieces, true);
    const decoded = this.text.result!;
    if (!decoded.ok)
      return {
        facts: [],
        problems: [
          problemOf(
            this.item,
            'securemail.csv_not_text',
            `${decoded.reason}; expected CtxLog_APNS_Events.csv (time, operation, status, tenant ID, listener token)`,
          ),
        ],
      };
    if (!this.cell) return { facts: [], problems: [problemOf(this.item, 'securemail.csv_empty', 'holds no rows')] };
    const facts = this.facts;
    const problems = [];
    if (!facts.rows)
      problems.push(problemOf(this.item, 'securemail.csv_no_events', 'holds no row with an operation or a status; is it really CtxLog_APNS_Events.csv?'));
    else if (this.unreadable)
      problems.push(problemOf(this.item, 'securemail.csv_rows_skipped', `${this.unreadable} row(s) had neither an operation nor a status and were skipped`));
    const folded = facts.foldedMessage();
    if (folded) problems.push(problemOf(this.item, 'securemail.csv_folded', folded));
    return { facts: facts.facts(), problems };
  }

  /** Reads the rows the text decoded so far holds; at the end, all that are left. */
  private async take(pieces: string[], ended: boolean): Promise<void> {
    const decoded = this.text.result;
    if (!decoded?.ok) return;
    // The first chunk (a megabyte) holds the lines the delimiter is told from.
    this.table ??= new TextQueue(detectDelimiter(firstLines(decoded.first, 40)));
    this.table.add(pieces);
    if (ended) this.table.end();
    const rows = this.table.rows;
    for (let r = rows.next(); !r.done && r.value !== MORE_TEXT; r = rows.next()) {
      if (this.cell) {
        const paused = this.readRow(r.value);
        if (paused) await paused;
        continue;
      }
      this.head.push(r.value);
      if (this.head.length === HEAD_ROWS) await this.readHead();
    }
    if (ended && !this.cell && this.head.length) await this.readHead();
  }

  private async readHead(): Promise<void> {
    const { map, dataFrom } = columns(this.head);
    this.cell = (r, f) => (map.has(f) ? (r.cells[map.get(f)!] ?? '').trim() : '');
    for (const r of this.head.slice(dataFrom)) {
      const paused = this.readRow(r);
      if (paused) await paused;
    }
    this.head.length = 0;
  }

  private readRow(r: Row): void | Promise<void> {
    const cell = this.cell!;
    const operation = cell(r, 'operation');
    const status = cell(r, 'status');
    if (!operation && !status) this.unreadable++;
    else
      this.facts.row(
        r.line,
        parseTimeZoned(cell(r, 'time')) ?? parseTimeZoned(r.raw),
        operation,
        status,
        cell(r, 'tenant'),
        cell(r, 'token'),
        cell(r, 'combination'),
      );
    if ((++this.n & 255) === 0 && performance.now() - this.since > SLICE_MS) return this.pause();
  }

  private async pause(): Promise<void> {
    await nextTurn();
    this.since = performance.now();
  }
}

async function readApnsEvents(data: Buffer, item: Item): Promise<ReadResult> {
  const table = new EventsTable(item);
  await table.write(data);
  return table.end();
}

/** The first `n` lines of `text`, without splitting all of it. */
function firstLines(text: string, n: number): string[] {
  let end = -1;
  for (let k = 0; k < n; k++) {
    end = text.indexOf('\n', end + 1);
    if (end < 0) break;
  }
  return (end < 0 ? text : text.slice(0, end)).split(/\r?\n/, n);
}

export const apnsEventsReader: BufferReader = {
  id: 'securemail.apns_events',
  kind: 'buffer',
  accepts: (name) => APNS_EVENTS_FILE.test(name),
  read: (data, item) => readApnsEvents(data, item),
  stream: (item) => new EventsTable(item),
};
