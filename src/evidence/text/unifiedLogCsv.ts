import type { LogLine } from './lineFormat.js';

/**
 * The CSV Mandiant's open-source macos-UnifiedLogs writes
 * (`unifiedlog_iterator --mode log-archive --input system_logs.logarchive
 * --format csv`), so a log archive can be read on Linux. Its header, as
 * written by examples/unifiedlog_iterator/src/main.rs: Timestamp, Event Type,
 * Log Type, Subsystem, Thread ID, PID, EUID, Library, Library UUID, Activity
 * ID, Parent Activity ID, Category, Process, Process UUID, Message, Raw
 * Message, Boot UUID, System Timezone Name. Older releases lack some columns,
 * so columns are found by name. Timestamps are RFC 3339 in UTC; Process and
 * Library are full paths.
 */
const NEEDED = ['Timestamp', 'Process', 'Message'] as const;

/** A header line of that CSV. */
export function isUnifiedLogCsvHeader(line: string): boolean {
  return line.startsWith('Timestamp,') && NEEDED.every((h) => line.includes(h)) && line.includes('Subsystem');
}

/**
 * Splits one CSV record (RFC 4180 quoting). A quoted field left open at the
 * end of the line (a message with a newline in it) keeps what the line holds;
 * its continuation lines are not records and are skipped by the caller.
 */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          v += line.slice(i);
          i = line.length + 1;
          break;
        }
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(v);
      // Skip to the next comma after a closing quote.
      const comma = line.indexOf(',', i);
      if (comma < 0) break;
      i = comma + 1;
      if (i === line.length) out.push('');
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
      if (i === line.length) out.push('');
    }
  }
  return out;
}

/** A record starts with its RFC 3339 timestamp; anything else continues a multi-line message. */
const RECORD = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}),/;

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

export class UnifiedLogCsv {
  private readonly col = new Map<string, number>();

  constructor(header: string) {
    splitCsv(header).forEach((name, i) => this.col.set(name.trim(), i));
  }

  /** One record as a log line, or null for a continuation line. */
  row(line: string): LogLine | null {
    if (!RECORD.test(line)) return null;
    const f = splitCsv(line);
    const get = (name: string) => {
      const i = this.col.get(name);
      return i === undefined ? '' : (f[i] ?? '');
    };
    const message = get('Message') || get('Raw Message');
    const out: LogLine = { format: 'unifiedlog', time: get('Timestamp'), message };
    const process = get('Process');
    if (process) out.process = basename(process);
    const subsystem = get('Subsystem');
    if (subsystem) out.subsystem = subsystem;
    const category = get('Category');
    if (category) out.category = category;
    const library = get('Library');
    if (library && library !== process) out.library = basename(library);
    return out;
  }
}
