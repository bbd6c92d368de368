import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, sourceOf, type BufferReader, type Item, type ReadResult } from '../types.js';
import { redactMessage } from './classify.js';
import { apnsHits, deviceHits, PUSH_WORDS } from './logPatterns.js';
import { APNS_EVENTS_FILE, CTXLOG_TEXT_FILE, FETCH_SCHEDULE_FILE, POLICIES_FILE, SECURE_MAIL_MODULE } from './names.js';
import { detectDelimiter, mapHeader, parseRows, skippedRowsMessage, type Row } from './table.js';
import { decodeText, headText } from './decode.js';
import { parseTimeZoned } from './time.js';

/**
 * The Secure Mail app log. Seed 003 only says it opens in Excel and has a
 * Module column to filter on `Secure Mail.APNS`, plus a category (ERROR…).
 * Assumed shape, read tolerantly:
 *   - delimited (comma, semicolon, tab, pipe) with a header naming a Module
 *     column, any order, optional Level/Category, Date/Time and Message; or
 *   - free text, one entry per line, the module written in the line
 *     (`… Secure Mail.APNS … ERROR … message`), continuation lines (a
 *     multi-line error) belonging to the entry above.
 * Push errors are taken from APNS-module lines only (other modules' network
 * errors are mail sync, not push); device states (Low Power Mode,
 * Background App Refresh) from any line.
 */
type Field = 'time' | 'module' | 'level' | 'message';
const HEADER: (readonly [Field, RegExp])[] = [
  ['module', /^(module|component|logger|source)\b/i],
  ['level', /level|severity|category|priority/i],
  ['time', /^(date|time|timestamp)/i],
  ['message', /message|msg|description|text|detail|^log$/i],
];
/** Facts of one kind listed at most this many times; the rest are counted. */
const MAX_PER_FACT = 100;

interface Entry {
  line: number;
  module: string;
  level: string;
  at: string | null;
  /** The time was written without a zone (e.g. the log re-saved in Excel): a wall clock, not UTC. */
  zoneLess?: boolean;
  message: string;
}

function entries(rows: Row[], header: Map<Field, number> | null): Entry[] {
  const out: Entry[] = [];
  if (header) {
    const fixed = new Set([...header.values()]);
    for (const r of rows) {
      const c = (f: Field) => (header.has(f) ? (r.cells[header.get(f)!] ?? '').trim() : '');
      const message = header.has('message') ? c('message') : r.cells.filter((_, i) => !fixed.has(i)).join(' ');
      const t = parseTimeZoned(c('time')) ?? parseTimeZoned(r.raw);
      out.push({ line: r.line, module: c('module'), level: c('level'), at: t?.iso ?? null, zoneLess: t?.zoneLess, message });
    }
    return out;
  }
  let prev: Entry | null = null;
  for (const r of rows) {
    const text = r.cells.join(' ');
    const module = text.match(/Secure\s?Mail\.[\w.]+/)?.[0] ?? '';
    const level = text.match(/\b(ERROR|ERR|WARNING|WARN|INFO|DEBUG|VERBOSE|FATAL|CRITICAL)\b/)?.[0] ?? '';
    const t = parseTimeZoned(text);
    const at = t?.iso ?? null;
    // A line with neither a time nor a module continues the entry above it.
    const cont = !module && !at && prev;
    const e: Entry = cont
      ? { line: r.line, module: prev!.module, level: prev!.level, at: prev!.at, zoneLess: prev!.zoneLess, message: text }
      : { line: r.line, module, level, at, zoneLess: t?.zoneLess, message: text };
    out.push(e);
    prev = e;
  }
  return out;
}

function readAppLog(data: Buffer, item: Item): ReadResult {
  const decoded = decodeText(data);
  if (!decoded.ok) return { facts: [], problems: [problemOf(item, 'securemail.log_not_text', `${decoded.reason}; expected the Secure Mail app log`)] };
  const text = decoded.text;
  const rows = parseRows(text, detectDelimiter(text.split(/\r?\n/, 40)));
  const headerAt = rows.slice(0, 5).findIndex((r) => r.cells.length > 1 && mapHeader(r.cells, HEADER, 1)?.has('module'));
  const header = headerAt >= 0 ? mapHeader(rows[headerAt].cells, HEADER, 1) : null;
  const list = entries(header ? rows.slice(headerAt + 1) : rows, header);
  const anyModule = list.some((e) => e.module);

  const facts: Fact[] = [];
  const counts = new Map<string, number>();
  let apnsLines = 0;
  const emit = (e: Entry, fact: string, attrs?: Record<string, string>) => {
    const n = (counts.get(fact) ?? 0) + 1;
    counts.set(fact, n);
    if (n > MAX_PER_FACT) return;
    const a: Record<string, string> = {
      ...(e.module ? { module: e.module } : {}),
      ...(e.level ? { level: e.level } : {}),
      ...attrs,
      ...(e.at && e.zoneLess ? { zone: 'unknown' } : {}),
    };
    facts.push({
      name: fact,
      value: redactMessage(e.message),
      source: sourceOf(item, e.line),
      ...(e.at ? { at: e.at } : {}),
      ...(Object.keys(a).length ? { attrs: a } : {}),
    });
  };
  for (const e of list) {
    for (const h of deviceHits(e.message)) emit(e, h.fact, h.attrs);
    const apns = anyModule ? /apns|push/i.test(e.module) : PUSH_WORDS.test(e.message);
    if (!apns) continue;
    apnsLines++;
    for (const h of apnsHits(e.message, e.level)) emit(e, h.fact, h.attrs);
  }
  const problems: Problem[] = [];
  if (anyModule || apnsLines) facts.push({ name: 'securemail.log.apns_lines', value: apnsLines, source: sourceOf(item) });
  if (!list.length) problems.push(problemOf(item, 'securemail.log_empty', 'is empty'));
  else if (anyModule && !apnsLines)
    problems.push(
      problemOf(
        item,
        'securemail.log_no_apns',
        'has no Secure Mail.APNS lines: the log does not cover the push subscription (ask for logs taken right after the problem)',
      ),
    );
  for (const [fact, n] of counts)
    if (n > MAX_PER_FACT) problems.push(problemOf(item, 'securemail.log_capped', `${n} lines matched ${fact}; the first ${MAX_PER_FACT} are listed`));
  const cut = skippedRowsMessage(rows);
  if (cut) problems.push(problemOf(item, 'securemail.table_cut', cut));
  return { facts, problems };
}

function isOtherCtxFile(name: string): boolean {
  return POLICIES_FILE.test(name) || APNS_EVENTS_FILE.test(name) || FETCH_SCHEDULE_FILE.test(name);
}

export const appLogReader: BufferReader = {
  id: 'securemail.app_log',
  kind: 'buffer',
  accepts: (name, head) => !isOtherCtxFile(name) && (CTXLOG_TEXT_FILE.test(name) || SECURE_MAIL_MODULE.test(headText(head))),
  read: (data, item) => readAppLog(data, item),
};
