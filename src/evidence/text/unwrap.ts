/**
 * Log lines as a collector or a console saved them, wrapped around the line
 * the server or device wrote: Docker's json-file driver, `journalctl -o json`
 * (and json-pretty), `kubectl logs --timestamps`, CloudWatch's JSON and Logs
 * Insights CSV exports, Graylog / Kibana CSV exports, and `log show --style
 * json` reformatted by jq. The readers know the inner lines, so an Unwrapper
 * turns the text back into them (see archive/normalise.ts).
 *
 * When the inner line carries no time of its own, the wrapper's time is put
 * before it (ISO 8601, as servers write it), so that the readers still date
 * it. One output line per input line where it can be, so a fact's line number
 * still points at the record in the file: a record over many lines yields
 * blank lines before its inner line.
 */

export interface UnwrapProblem {
  code: string;
  message: string;
}

export interface Unwrapper {
  /** What the wrapper is, for messages ("Docker json-file log"). */
  readonly label: string;
  /** Text in (any cut), inner lines out (whole lines only; the rest waits for more). */
  push(text: string): string;
  /** The last of the text, once it ended. */
  end(): string;
  readonly problems: UnwrapProblem[];
}

/**
 * A line that already says when it was written: a leading date, a logfmt
 * time field, or a JSON line's time key. Not a "timestamp: 176…" further in
 * (an object a provider printed), which says when something else happened.
 */
const OWN_TIME = /^\s*\[?\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}|(?:^|\s)(?:ts|time|timestamp)=\S/;
/** A JSON line's time key (a separate test: one pattern for both would backtrack over a long line). */
const JSON_TIME = /"(?:ts|time|timestamp|@timestamp)"\s*:\s*"?\d/;

function hasOwnTime(line: string): boolean {
  return OWN_TIME.test(line) || (/^\s*\{/.test(line) && JSON_TIME.test(line));
}

const STAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** A wrapper's time as a line's leading stamp: ISO 8601, at most milliseconds; `utc` when the wrapper writes UTC without saying so. */
function stampOf(value: unknown, utc: boolean): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return epochStamp(value);
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (/^\d{16}$/.test(s)) return epochStamp(Number(s) / 1000); // journald: microseconds
  if (/^\d{13}$/.test(s)) return epochStamp(Number(s));
  const m = STAMP.exec(s);
  if (!m) return undefined;
  return `${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ''}${m[4] ?? (utc ? 'Z' : '')}`;
}

function epochStamp(ms: number): string | undefined {
  // Milliseconds since 1970 in the years a log can be from; anything else is not a time.
  if (ms < 946_684_800_000 || ms > 4_102_444_800_000) return undefined;
  return new Date(Math.floor(ms)).toISOString();
}

/** The inner lines of one message, each dated by the wrapper when it carries no time of its own. */
function dated(message: string, stamp: string | undefined): string[] {
  const lines = message.replace(/\r?\n$/, '').split(/\r?\n/);
  if (!stamp) return lines;
  return lines.map((l) => (l.trim() && !hasOwnTime(l) ? `${stamp} ${l}` : l));
}

// ------------------------------------------------------------ JSON records

interface RecordKind {
  label: string;
  /** Where its records are recognised in the head: a key every record has. */
  key: RegExp;
  /** The inner lines of one record; undefined when it is not one of this kind's. */
  lines(o: Record<string, unknown>): string[] | undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  // journald writes a message that is not valid UTF-8 as an array of byte values.
  if (Array.isArray(v) && v.length <= 1 << 20 && v.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) return Buffer.from(v as number[]).toString('utf8');
  return undefined;
}

const DOCKER: RecordKind = {
  label: 'Docker json-file log',
  key: /"log"\s*:\s*"/,
  lines: (o) => {
    const m = text(o.log);
    return m === undefined ? undefined : dated(m, stampOf(o.time, false));
  },
};

const JOURNAL: RecordKind = {
  label: 'journalctl JSON export',
  key: /"__(?:CURSOR|REALTIME_TIMESTAMP)"\s*:/,
  lines: (o) => {
    const m = text(o.MESSAGE);
    // A journal entry without MESSAGE (a coredump's metadata) says nothing to read.
    if (m === undefined) return o.MESSAGE === undefined || o.MESSAGE === null ? [] : undefined;
    return dated(m, stampOf(o.__REALTIME_TIMESTAMP, true));
  },
};

const CLOUDWATCH: RecordKind = {
  label: 'CloudWatch Logs JSON export',
  key: /"(?:ingestionTime|logStreamName)"\s*:/,
  lines: (o) => {
    const m = text(o.message);
    return m === undefined ? undefined : dated(m, stampOf(o.timestamp, true));
  },
};

const INSIGHTS: RecordKind = {
  label: 'CloudWatch Logs Insights JSON export',
  key: /"@message"\s*:/,
  lines: (o) => {
    const m = text(o['@message']);
    // Logs Insights writes its times in UTC without saying so.
    return m === undefined ? undefined : dated(m, stampOf(o['@timestamp'], true));
  },
};

/** `log show --style json` events: one object per line is the ndjson style its reader knows. */
const LOG_SHOW: RecordKind = {
  label: 'log show JSON export',
  key: /"eventMessage"\s*:/,
  lines: (o) => ('eventMessage' in o || 'composedMessage' in o ? [JSON.stringify(o)] : undefined),
};

/** Most records kept unparsed, in characters: a record longer than any log line is not one. */
const MAX_RECORD = 4 << 20;

/**
 * Pulls the records (objects at one depth: a line each, a top-level array's
 * elements, `{"events": [...]}`'s) out of JSON text as it streams past,
 * however it is laid out, and turns each into its inner lines.
 */
class JsonRecords implements Unwrapper {
  readonly problems: UnwrapProblem[] = [];
  readonly label: string;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The record being read, in pieces, and whether one is. */
  private parts: string[] = [];
  private partsLength = 0;
  private inRecord = false;
  private line = 1;
  private recordLine = 0;
  /** Inner lines of records that ended on the current input line. */
  private ready: string[] = [];
  private garbled = 0;
  private firstGarbled = 0;

  constructor(
    private readonly kind: RecordKind,
    /** The depth a record's `{` opens at (0: one object after another; 1: inside an array…). */
    private readonly recordDepth: number,
  ) {
    this.label = kind.label;
  }

  push(input: string): string {
    let out = '';
    let from = 0;
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      if (c === 10) {
        if (this.inString) {
          // A JSON string holds no raw newline: the record was cut short (a line of a log cut by a crash).
          this.dropRecord();
        }
        this.take(input, from, i);
        from = i + 1;
        out += this.ready.length ? `${this.ready.join('\n')}\n` : '\n';
        this.ready = [];
        this.line++;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (c === 123 && this.depth === this.recordDepth && !this.inRecord) {
          this.inRecord = true;
          this.recordLine = this.line;
          from = i;
        }
        this.depth++;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        this.depth = Math.max(0, this.depth - 1);
        if (this.inRecord && this.depth === this.recordDepth) {
          this.take(input, from, i + 1);
          from = i + 1;
          this.finishRecord();
        }
      }
    }
    this.take(input, from, input.length);
    return out;
  }

  end(): string {
    if (this.inRecord) {
      this.problems.push({
        code: 'wrapper.cut',
        message: `ends inside a record of a ${this.label} (line ${this.recordLine}): the file was cut short; the records before it were read`,
      });
      this.parts = [];
      this.inRecord = false;
    }
    if (this.garbled)
      this.problems.push({
        code: 'wrapper.garbled',
        message: `${this.garbled === 1 ? `line ${this.firstGarbled} is` : `${this.garbled} records (first at line ${this.firstGarbled}) are`} not a whole record of a ${this.label}; skipped, the rest was read`,
      });
    const last = this.ready.join('\n');
    this.ready = [];
    return last;
  }

  /** Keeps input[from, to) when it belongs to the record being read. */
  private take(input: string, from: number, to: number): void {
    if (!this.inRecord || to <= from) return;
    if (this.partsLength + (to - from) > MAX_RECORD) {
      this.dropRecord();
      return;
    }
    this.parts.push(input.slice(from, to));
    this.partsLength += to - from;
  }

  private finishRecord(): void {
    const raw = this.parts.join('');
    this.parts = [];
    this.partsLength = 0;
    this.inRecord = false;
    let lines: string[] | undefined;
    try {
      const o: unknown = JSON.parse(raw);
      if (o && typeof o === 'object' && !Array.isArray(o)) lines = this.kind.lines(o as Record<string, unknown>);
    } catch {
      lines = undefined;
    }
    if (lines) for (const l of lines) this.ready.push(l);
    else this.noteGarbled(this.recordLine);
  }

  private dropRecord(): void {
    if (this.inRecord) this.noteGarbled(this.recordLine);
    this.parts = [];
    this.partsLength = 0;
    this.inRecord = false;
    this.inString = false;
    this.escaped = false;
    this.depth = this.recordDepth;
  }

  private noteGarbled(line: number): void {
    if (!this.garbled++) this.firstGarbled = line;
  }
}

/** The depth of JSON text at `at` (containers open there), strings skipped. */
function depthAt(s: string, at: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < at; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth = Math.max(0, depth - 1);
  }
  return depth;
}

/** The native `log show --style json` layout (`"key" : value`, two spaces in), which the device log reader takes as it is. */
const NATIVE_LOG_SHOW = /^ {2}"\w+" : /m;
/** One object per line whose records are `log show --style ndjson` events: read as they are. */
const NDJSON_EVENT = /^\{.*"eventMessage".*\}\s*$/;

function jsonRecordsFor(head: string): Unwrapper | undefined {
  const start = /^\s*[[{]/.exec(head);
  if (!start) return undefined;
  for (const kind of [DOCKER, JOURNAL, CLOUDWATCH, INSIGHTS, LOG_SHOW]) {
    const m = kind.key.exec(head);
    if (!m) continue;
    if (kind === LOG_SHOW && (NATIVE_LOG_SHOW.test(head) || NDJSON_EVENT.test(head.split('\n', 1)[0]!))) return undefined;
    // A Docker record is a line of the json-file driver: with its stream beside the log.
    if (kind === DOCKER && !/"stream"\s*:\s*"std(?:out|err)"/.test(head)) continue;
    const depth = depthAt(head, m.index);
    if (depth < 1) continue;
    return new JsonRecords(kind, depth - 1);
  }
  return undefined;
}

// ------------------------------------------------------------ lines

/** Whole lines out of text as it streams past; a line longer than this is handed on as it is, in pieces. */
const MAX_CARRY = 1 << 20;

abstract class LineUnwrapper implements Unwrapper {
  readonly problems: UnwrapProblem[] = [];
  abstract readonly label: string;
  private carry = '';
  protected line = 0;

  push(input: string): string {
    let text = this.carry + input;
    this.carry = '';
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      if (text.length > MAX_CARRY) return text;
      this.carry = text;
      return '';
    }
    this.carry = text.slice(last + 1);
    text = text.slice(0, last);
    let out = '';
    for (const l of text.split('\n')) out += `${this.lineOf(l.endsWith('\r') ? l.slice(0, -1) : l, ++this.line)}\n`;
    return out;
  }

  end(): string {
    const rest = this.carry;
    this.carry = '';
    return rest ? this.lineOf(rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++this.line) : '';
  }

  /** The inner line(s) of one input line, joined by newlines. */
  protected abstract lineOf(line: string, n: number): string;
}

/** `kubectl logs --timestamps`: RFC 3339 with nanoseconds, a space, the container's line. */
const KUBECTL = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/;

class KubectlPrefix extends LineUnwrapper {
  readonly label = 'kubectl logs --timestamps output';
  protected lineOf(line: string): string {
    const m = KUBECTL.exec(line);
    // The container's own time wins: it is what the server wrote (and its zone, as written).
    return m && hasOwnTime(m[2]!) ? m[2]! : line;
  }
}

/**
 * kubectl's prefix only when every line of the head has it and, after it, a
 * time of the container's own: many logs start their lines with an ISO time
 * (a Node provider's, say), and those are read as they are.
 */
function kubectlFor(head: string): Unwrapper | undefined {
  const lines = head
    .split('\n')
    .slice(0, -1)
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim());
  if (lines.length === 0) return undefined;
  for (const l of lines) {
    const m = KUBECTL.exec(l);
    if (!m || !hasOwnTime(m[2]!)) return undefined;
  }
  return new KubectlPrefix();
}

// ------------------------------------------------------------ CSV exports

const TIME_COLUMNS = ['@timestamp', 'timestamp', 'time', '_time'];
/**
 * Columns of CSVs other readers own, whose rows are not one log line each:
 * unifiedlog_iterator's (`Event Type`, `Subsystem`), Secure Mail's
 * (`Category`, `Module`).
 */
const OTHER_READERS = ['event type', 'log type', 'subsystem', 'module', 'category'];
const MESSAGE_COLUMNS = ['@message', 'message', '_raw', 'msg', 'log'];

/** Fields of one CSV record (RFC 4180 quoting). */
function csvFields(record: string, sep: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (record[i] === '"') {
      i++;
      for (;;) {
        const q = record.indexOf('"', i);
        if (q < 0) {
          field += record.slice(i);
          i = record.length;
          break;
        }
        field += record.slice(i, q);
        if (record[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const next = record.indexOf(sep, i);
      i = next < 0 ? record.length : next;
    } else {
      const next = record.indexOf(sep, i);
      field = record.slice(i, next < 0 ? record.length : next);
      i = next < 0 ? record.length : next;
    }
    out.push(field);
    if (i >= record.length) return out;
    i += sep.length;
  }
}

/**
 * A log export as CSV (CloudWatch Logs Insights, Graylog, Kibana, Excel with
 * its `sep=` line): the message column, dated by the time column. A quoted
 * message may run over several lines.
 */
class CsvExport extends LineUnwrapper {
  readonly label: string;
  private header = true;
  private pending: string[] = [];
  private quotes = 0;

  constructor(
    private readonly sep: string,
    private readonly sepLine: boolean,
    private readonly time: number,
    private readonly message: number,
    private readonly utc: boolean,
  ) {
    super();
    this.label = utc ? 'CloudWatch Logs Insights CSV export' : 'CSV log export';
  }

  protected lineOf(line: string, n: number): string {
    if (n === 1 && this.sepLine) return '';
    if (this.header) {
      this.header = false;
      return '';
    }
    this.pending.push(line);
    for (let at = line.indexOf('"'); at >= 0; at = line.indexOf('"', at + 1)) this.quotes++;
    // An odd count of quotes: a quoted field goes on in the next line (which gets its own blank line meanwhile).
    if (this.quotes % 2 === 1 && this.pending.length < 10_000) return '';
    return this.record();
  }

  /** A quoted field still open when the text ended: what it holds is read all the same. */
  override end(): string {
    const last = super.end();
    if (!this.pending.length) return last;
    const rest = this.record();
    return last ? `${last}\n${rest}` : rest;
  }

  /** The inner lines of the record in `pending`. */
  private record(): string {
    const record = this.pending.join('\n');
    this.pending = [];
    this.quotes = 0;
    if (!record.trim()) return '';
    const f = csvFields(record, this.sep);
    const msg = f[this.message];
    if (msg === undefined) return '';
    return dated(msg, stampOf(f[this.time], this.utc)).join('\n');
  }
}

function csvFor(head: string): Unwrapper | undefined {
  const lines = head.split('\n', 3).map((l) => l.replace(/\r$/, ''));
  let sep = ',';
  let at = 0;
  const sepLine = /^"?sep=(.)"?$/.exec(lines[0] ?? '');
  if (sepLine) {
    sep = sepLine[1]!;
    at = 1;
  }
  const headerLine = lines[at];
  if (!headerLine || headerLine.length > 2000) return undefined;
  if (!sepLine && !headerLine.includes(',')) {
    if (headerLine.includes('\t')) sep = '\t';
    else if (headerLine.includes(';')) sep = ';';
    else return undefined;
  }
  const cols = csvFields(headerLine, sep).map((c) => c.trim().toLowerCase());
  const time = cols.findIndex((c) => TIME_COLUMNS.includes(c));
  const message = cols.findIndex((c) => MESSAGE_COLUMNS.includes(c));
  if (time < 0 || message < 0 || cols.length > 40 || cols.some((c) => OTHER_READERS.includes(c))) return undefined;
  return new CsvExport(sep, !!sepLine, time, message, cols[time] === '@timestamp');
}

/**
 * The unwrapper for a text whose first characters are `head` (decoded, up to
 * a few KiB), or undefined when it is no wrapper pushcheck knows: then the
 * text is read as it is.
 */
export function unwrapperFor(head: string): Unwrapper | undefined {
  return jsonRecordsFor(head) ?? kubectlFor(head) ?? csvFor(head);
}
