import { setImmediate as nextTurn } from 'node:timers/promises';
import { problemOf, type BufferReader, type Item, type ReadResult } from '../types.js';
import { APNS_EVENTS_FILE } from './names.js';
import { EventFacts } from './eventFacts.js';

export { tokenRef } from './eventFacts.js';
import { detectDelimiter, mapHeader, rowsOf, type Row } from './table.js';
import { decodeChunks } from './decode.js';
import { isTimeCell, parseTime } from './time.js';

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

async function readApnsEvents(data: Buffer, item: Item): Promise<ReadResult> {
  const decoded = decodeChunks(data);
  if (!decoded.ok)
    return {
      facts: [],
      problems: [
        problemOf(item, 'securemail.csv_not_text', `${decoded.reason}; expected CtxLog_APNS_Events.csv (time, operation, status, tenant ID, listener token)`),
      ],
    };
  // The first chunk (a megabyte) holds the lines the delimiter is told from.
  const rows = rowsOf(decoded.chunks, detectDelimiter(firstLines(decoded.first, 40)));
  const head: Row[] = [];
  for (let r = rows.next(); !r.done; r = head.length < HEAD_ROWS ? rows.next() : { done: true, value: undefined }) head.push(r.value);
  if (!head.length) return { facts: [], problems: [problemOf(item, 'securemail.csv_empty', 'holds no rows')] };
  const { map, dataFrom } = columns(head);
  const cell = (r: Row, f: Field) => (map.has(f) ? (r.cells[map.get(f)!] ?? '').trim() : '');
  const facts = new EventFacts(item);
  let unreadable = 0;
  const readRow = (r: Row) => {
    const operation = cell(r, 'operation');
    const status = cell(r, 'status');
    if (!operation && !status) {
      unreadable++;
      return;
    }
    facts.row(r.line, parseTime(cell(r, 'time')) ?? parseTime(r.raw), operation, status, cell(r, 'tenant'), cell(r, 'token'), cell(r, 'combination'));
  };
  let since = performance.now();
  let n = 0;
  const pause = async () => {
    if ((++n & 255) === 0 && performance.now() - since > SLICE_MS) {
      await nextTurn();
      since = performance.now();
    }
  };
  for (const r of head.slice(dataFrom)) {
    readRow(r);
    await pause();
  }
  head.length = 0;
  for (let r = rows.next(); !r.done; r = rows.next()) {
    readRow(r.value);
    await pause();
  }
  const problems = [];
  if (!facts.rows)
    problems.push(problemOf(item, 'securemail.csv_no_events', 'holds no row with an operation or a status; is it really CtxLog_APNS_Events.csv?'));
  else if (unreadable)
    problems.push(problemOf(item, 'securemail.csv_rows_skipped', `${unreadable} row(s) had neither an operation nor a status and were skipped`));
  const folded = facts.foldedMessage();
  if (folded) problems.push(problemOf(item, 'securemail.csv_folded', folded));
  return { facts: facts.facts(), problems };
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
};
