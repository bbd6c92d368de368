import type { Fact } from '../../facts/schema.js';
import { problemOf, sourceOf, type BufferReader, type Item, type ReadResult } from '../types.js';
import { FETCH_SCHEDULE_FILE } from './names.js';
import { detectDelimiter, mapHeader, parseRows, skippedRowsMessage, type Row } from './table.js';
import { decodeText } from './decode.js';
import { findTimes, isTimeCell } from './time.js';

/**
 * CTXLog_backgroundFetchSchedule.csv: one row per background wake-up —
 * its type (BackgroundFetch, or Remote Notification for a push), when it
 * started and ended, how many seconds it took, and the fetch result. Seed
 * 003 shows rows whose cells ran together once copied
 * (`Remote Notification01-Dec-2016 12:47:41:727 (+0000)01-Dec-…`), so a
 * row is also read by its content when it has no usable delimiter.
 */
type Field = 'type' | 'start' | 'end' | 'seconds' | 'result';
const HEADER: (readonly [Field, RegExp])[] = [
  ['type', /type|kind|wake|event|reason/i],
  ['start', /start|begin|^(date|time)/i],
  ['end', /end|finish|complet|stop/i],
  ['seconds', /sec|duration|elapsed|took/i],
  ['result', /result|outcome|status/i],
];

const TYPE = /remote\s*notification|silent\s*push|push\s*notification|background\s*fetch|background\s*app\s*refresh/i;
const RESULT = /UIBackgroundFetchResult\w+|\b(NewData|NoData|Failed)\b/;

export type WakeKind = 'remote_notification' | 'background_fetch' | 'other';

function wakeKind(type: string): WakeKind {
  if (/remote|push/i.test(type)) return 'remote_notification';
  if (/background\s*(fetch|app\s*refresh)/i.test(type)) return 'background_fetch';
  return 'other';
}

interface Wake {
  type: string;
  start?: string;
  end?: string;
  seconds?: string;
  result?: string;
  /** The start was written without a zone (the table re-saved in Excel): a wall clock, not UTC. */
  zoneLess?: boolean;
}

/** Reads a row by what its text holds, in whatever order the values come. */
function byContent(raw: string): Wake | null {
  const typeMatch = raw.match(TYPE);
  if (!typeMatch) return null;
  const type = typeMatch[0];
  const times = findTimes(raw);
  const resultMatch = raw.match(RESULT);
  const result = resultMatch?.[0];
  // Blank out (keeping positions) what was recognised, so the one remaining number is the duration.
  const spans = [...times.map((t) => [t.index, t.length] as const), [typeMatch.index!, type.length] as const];
  if (resultMatch) spans.push([resultMatch.index!, resultMatch[0].length]);
  // Built in one pass: re-slicing the row once per time would be quadratic in a row of many times.
  let rest = '';
  let pos = 0;
  for (const [at, len] of spans.sort((a, b) => a[0] - b[0])) {
    const from = Math.max(at, pos);
    if (at + len <= from) continue;
    rest += raw.slice(pos, from) + ' '.repeat(at + len - from);
    pos = at + len;
  }
  rest += raw.slice(pos);
  const seconds = rest.match(/(?<![\d.])\d+(?:\.\d+)?(?![\d.])/)?.[0];
  return { type, start: times[0]?.iso, end: times[1]?.iso, seconds, result, zoneLess: times[0]?.zoneLess };
}

function byHeader(r: Row, map: Map<Field, number>): Wake | null {
  const c = (f: Field) => (map.has(f) ? (r.cells[map.get(f)!] ?? '').trim() : '');
  const type = c('type');
  if (!type) return null;
  const start = findTimes(c('start'))[0];
  return {
    type,
    start: start?.iso,
    end: findTimes(c('end'))[0]?.iso,
    seconds: c('seconds') || undefined,
    result: c('result') || undefined,
    zoneLess: start?.zoneLess,
  };
}

function readFetchSchedule(data: Buffer, item: Item): ReadResult {
  const decoded = decodeText(data);
  if (!decoded.ok)
    return {
      facts: [],
      problems: [
        problemOf(
          item,
          'securemail.csv_not_text',
          `${decoded.reason}; expected CTXLog_backgroundFetchSchedule.csv (wake-up type, start, end, seconds, result)`,
        ),
      ],
    };
  const text = decoded.text;
  const rows = parseRows(text, detectDelimiter(text.split(/\r?\n/, 40)));
  if (!rows.length) return { facts: [], problems: [problemOf(item, 'securemail.csv_empty', 'holds no rows')] };
  const first = rows[0];
  const header = first.cells.length > 1 && !first.cells.some(isTimeCell) && !TYPE.test(first.raw) ? mapHeader(first.cells, HEADER, 3) : null;
  const facts: Fact[] = [];
  let skipped = 0;
  for (const r of rows.slice(header ? 1 : 0)) {
    const w = (header && byHeader(r, header)) || byContent(r.raw);
    if (!w) {
      skipped++;
      continue;
    }
    const attrs: Record<string, string> = { type: w.type.trim() };
    if (w.end) attrs.end = w.end;
    if (w.seconds) attrs.seconds = w.seconds;
    if (w.result) attrs.result = w.result;
    if (w.start && w.zoneLess) attrs.zone = 'unknown';
    facts.push({ name: 'securemail.fetch.wakeup', value: wakeKind(w.type), source: sourceOf(item, r.line), ...(w.start ? { at: w.start } : {}), attrs });
  }
  const problems = [];
  if (!facts.length)
    problems.push(
      problemOf(item, 'securemail.csv_no_wakeups', 'holds no BackgroundFetch or Remote Notification row; is it really the background fetch schedule?'),
    );
  else if (skipped) problems.push(problemOf(item, 'securemail.csv_rows_skipped', `${skipped} row(s) named no wake-up type and were skipped`));
  const cut = skippedRowsMessage(rows);
  if (cut) problems.push(problemOf(item, 'securemail.table_cut', cut));
  return { facts, problems };
}

export const fetchScheduleReader: BufferReader = {
  id: 'securemail.fetch_schedule',
  kind: 'buffer',
  accepts: (name) => FETCH_SCHEDULE_FILE.test(name),
  read: (data, item) => readFetchSchedule(data, item),
};
