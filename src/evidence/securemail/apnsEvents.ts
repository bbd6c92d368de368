import type { Fact } from '../../facts/schema.js';
import { showSecret } from '../../facts/secrets.js';
import { problemOf, sourceOf, type BufferReader, type Item, type ReadResult } from '../types.js';
import { classifyOperation, classifyStatus, failureReason } from './classify.js';
import { APNS_EVENTS_FILE } from './names.js';
import { detectDelimiter, mapHeader, parseRows, skippedRowsMessage, type Row } from './table.js';
import { decodeText } from './decode.js';
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

/** The token as cited beside its event: enough to tell tokens apart, not enough to use one. */
export function tokenRef(token: string): string {
  return showSecret(token, 'token', 'reference');
}

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

function readApnsEvents(data: Buffer, item: Item): ReadResult {
  const decoded = decodeText(data);
  if (!decoded.ok)
    return {
      facts: [],
      problems: [
        problemOf(item, 'securemail.csv_not_text', `${decoded.reason}; expected CtxLog_APNS_Events.csv (time, operation, status, tenant ID, listener token)`),
      ],
    };
  const text = decoded.text;
  const rows = parseRows(text, detectDelimiter(text.split(/\r?\n/, 40)));
  if (!rows.length) return { facts: [], problems: [problemOf(item, 'securemail.csv_empty', 'holds no rows')] };
  const { map, dataFrom } = columns(rows);
  const cell = (r: Row, f: Field) => (map.has(f) ? (r.cells[map.get(f)!] ?? '').trim() : '');
  const facts: Fact[] = [];
  let unreadable = 0;
  for (const r of rows.slice(dataFrom)) {
    const operation = cell(r, 'operation');
    const status = cell(r, 'status');
    const at = parseTime(cell(r, 'time')) ?? parseTime(r.raw);
    if (!operation && !status) {
      unreadable++;
      continue;
    }
    const op = classifyOperation(operation);
    const outcome = classifyStatus(status);
    const tenant = cell(r, 'tenant');
    const token = cell(r, 'token');
    const combination = cell(r, 'combination');
    const source = sourceOf(item, r.line);
    const when = at ? { at } : {};
    const attrs: Record<string, string> = { operation: op, status, outcome };
    if (outcome === 'failure') attrs.reason = failureReason(status);
    if (tenant) attrs.tenant = tenant;
    if (token) attrs.token = tokenRef(token);
    facts.push({ name: 'securemail.apns_event', value: operation || '(no operation)', source, ...when, attrs });
    if (outcome === 'failure') facts.push({ name: 'securemail.apns.failed_operation', value: op, source, ...when, attrs: { reason: attrs.reason, status } });
    if (outcome === 'success') facts.push({ name: 'securemail.apns.succeeded_operation', value: op, source, ...when, attrs: { status } });
    if (tenant) facts.push({ name: 'securemail.apns.tenant_id', value: tenant, source, ...when });
    if (token) facts.push({ name: 'securemail.apns.listener_token', value: token, source, ...when });
    if (combination) facts.push({ name: 'securemail.apns.listener_key', value: combination, source, ...when });
  }
  const problems = [];
  if (!facts.length)
    problems.push(problemOf(item, 'securemail.csv_no_events', 'holds no row with an operation or a status; is it really CtxLog_APNS_Events.csv?'));
  else if (unreadable)
    problems.push(problemOf(item, 'securemail.csv_rows_skipped', `${unreadable} row(s) had neither an operation nor a status and were skipped`));
  const cut = skippedRowsMessage(rows);
  if (cut) problems.push(problemOf(item, 'securemail.table_cut', cut));
  return { facts, problems };
}

export const apnsEventsReader: BufferReader = {
  id: 'securemail.apns_events',
  kind: 'buffer',
  accepts: (name) => APNS_EVENTS_FILE.test(name),
  read: (data, item) => readApnsEvents(data, item),
};
