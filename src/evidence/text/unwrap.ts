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
 * it. Each inner line is noted with the file line its record starts at (see
 * lineOrigin.ts), so a fact read from it names that line, however many lines
 * the record took or its message holds.
 */
import { LineOrigin } from './lineOrigin.js';
import { looksLikeDeviceLog } from './recognise.js';

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
  /** The file line each inner line written so far comes from. */
  readonly origin: LineOrigin;
}

/**
 * A line that already says when it was written: a leading date, a logfmt
 * time field first or second (`level=info ts=…`), or a JSON line's time key.
 * Not a "timestamp: 176…" or `timestamp=176…` further in (an object or an
 * APNs answer a provider printed), which says when something else happened.
 */
const OWN_TIME = /^\s*\[?\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}|^(?:[\w.-]+=\S+ )?(?:ts|time|timestamp)=\S/;
/** A JSON line's time key (a separate test: one pattern for both would backtrack over a long line). */
const JSON_TIME = /"(?:ts|time|timestamp|@timestamp)"\s*:\s*"?\d/;

function hasOwnTime(line: string): boolean {
  return OWN_TIME.test(line) || (/^\s*\{/.test(line) && JSON_TIME.test(line));
}

const STAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Kibana's default `dateFormat`: "Nov 20, 2026 @ 09:00:00.000". */
const KIBANA = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}), (\d{4}) @ (\d{2}:\d{2}:\d{2})(\.\d+)?$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A wrapper's time as a line's leading stamp: ISO 8601, at most milliseconds; `utc` when the wrapper writes UTC without saying so. */
function stampOf(value: unknown, utc: boolean): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return epochStamp(value);
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (/^\d{16}$/.test(s)) return epochStamp(Number(s) / 1000); // journald: microseconds
  if (/^\d{13}$/.test(s)) return epochStamp(Number(s));
  if (/^\d{10}(?:\.\d{1,9})?$/.test(s)) return epochStamp(Number(s) * 1000); // Splunk's _time: seconds
  const k = KIBANA.exec(s);
  // Kibana's default date format, in the zone of the browser that asked for the export: said as it is, without a zone.
  if (k) return `${k[3]}-${String(MONTHS.indexOf(k[1]!) + 1).padStart(2, '0')}-${k[2]!.padStart(2, '0')}T${k[4]}${k[5] ? k[5].slice(0, 4) : ''}`;
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
    // `searchedLogStreams` lists the streams looked in, beside the events: no line.
    if (o.message === undefined && 'searchedCompletely' in o) return [];
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

/** A field by its ECS name, written dotted (`"log.original"`) or nested (`"log": {"original"}`). */
function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const inner = o[name.slice(0, dot)];
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? field(inner as Record<string, unknown>, name.slice(dot + 1)) : undefined;
}

/**
 * An Elastic document's line: as the server wrote it (`event.original`,
 * `log.original`) before the message a pipeline may have cut out of it; [] for
 * a document without one (nothing to read), undefined for one that is no object.
 */
function elasticLines(doc: unknown): string[] | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const o = doc as Record<string, unknown>;
  for (const name of ['event.original', 'log.original', 'message']) {
    const m = text(field(o, name));
    if (m !== undefined) return dated(m, stampOf(o['@timestamp'], true));
  }
  return [];
}

/** Elasticsearch search hits (`_search`'s answer, elasticdump's or Kibana's Inspect): the document is in `_source`. */
const ELASTIC_HIT: RecordKind = {
  label: 'Elasticsearch export',
  key: /"_source"\s*:/,
  // Objects beside the hits (`_shards`' failures) hold no document.
  lines: (o) => ('_source' in o ? elasticLines(o._source) : []),
};

/**
 * Documents as Filebeat or Logstash write them (Elastic Common Schema): the
 * line with `@timestamp` and the shipper's fields. Only with those fields: a
 * server's own JSON log with an `@timestamp` and a `message` is read as it is.
 */
const ELASTIC_DOC: RecordKind = {
  label: 'Elastic (Filebeat, Logstash) export',
  key: /"@timestamp"\s*:/,
  lines: elasticLines,
};
/**
 * The shipper's own fields, as objects (an `"agent": "curl/8.4.0"` or an
 * `"input": "…"` is a server's own field), or ECS's dotted names.
 */
const ELASTIC_MARKS =
  /"(?:ecs|agent|@metadata|input)"\s*:\s*\{|"(?:ecs\.version|event\.original|log\.original|log\.file\.path|agent\.type)"\s*:|"log"\s*:\s*\{\s*"(?:offset|file|original)"/;

/**
 * Splunk's JSON exports (the search page's Export and `search/jobs/export`,
 * a result a line; the REST `results` answer, all in one array): each
 * result's `_raw` and `_time`.
 */
const SPLUNK: RecordKind = {
  label: 'Splunk JSON export',
  key: /"_raw"\s*:/,
  lines: (o) => {
    // Objects beside the results (the REST answer's `fields` and `messages`) hold no event.
    if (!('_raw' in o)) return [];
    const m = text(o._raw);
    return m === undefined ? undefined : dated(m, stampOf(o._time, false));
  },
};

/** Datadog's Logs API answer (`/api/v2/logs/events/search`, `{"data": [{"type": "log", "attributes": …}]}`). */
const DATADOG: RecordKind = {
  label: 'Datadog logs export',
  key: /"attributes"\s*:/,
  lines: (o) => {
    const a = o.attributes;
    // Objects beside the logs (`meta`'s page) hold no line.
    if (a === undefined) return [];
    if (!a || typeof a !== 'object' || Array.isArray(a)) return undefined;
    const at = a as Record<string, unknown>;
    const m = text(at.message);
    return m === undefined ? [] : dated(m, stampOf(at.timestamp, true));
  },
};

/** `log show --style json` events: one object per line is the ndjson style its reader knows. */
const LOG_SHOW: RecordKind = {
  label: 'log show JSON export',
  key: /"eventMessage"\s*:/,
  lines: (o) => ('eventMessage' in o || 'composedMessage' in o ? [JSON.stringify(o)] : undefined),
};

/** "a Docker json-file log", "an Elasticsearch export". */
function article(label: string): string {
  return `${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label}`;
}

/** Most records kept unparsed, in characters: a record longer than any log line is not one. */
const MAX_RECORD = 4 << 20;

/**
 * Pulls the records (objects at one depth: a line each, a top-level array's
 * elements, `{"events": [...]}`'s) out of JSON text as it streams past,
 * however it is laid out, and turns each into its inner lines.
 */
class JsonRecords implements Unwrapper {
  readonly problems: UnwrapProblem[] = [];
  readonly origin = new LineOrigin();
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
  /** The depth at the start of the current line, and of the line the record being read started on. */
  private lineDepth = 0;
  private recordLineDepth = 0;
  /** Inner lines of the records read so far in this push, each ended by a newline. */
  private out = '';
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
    let from = 0;
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      if (c === 10) {
        if (this.inString) {
          // A JSON string holds no raw newline: the record was cut short (a line of a log cut by a crash).
          // The next line starts where the cut record's line did (one object a line: outside any).
          const inRecord = this.inRecord;
          this.dropRecord();
          if (inRecord) this.depth = this.recordLineDepth;
        }
        this.take(input, from, i);
        from = i + 1;
        this.line++;
        this.lineDepth = this.depth;
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
          this.recordLineDepth = this.lineDepth;
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
    const out = this.out;
    this.out = '';
    return out;
  }

  end(): string {
    if (this.inRecord) {
      this.problems.push({
        code: 'wrapper.cut',
        message: `ends inside a record of ${article(this.label)} (line ${this.recordLine}): the file was cut short; the records before it were read`,
      });
      this.parts = [];
      this.inRecord = false;
    }
    if (this.garbled)
      this.problems.push({
        code: 'wrapper.garbled',
        message: `${this.garbled === 1 ? `line ${this.firstGarbled} is` : `${this.garbled} records (first at line ${this.firstGarbled}) are`} not a whole record of ${article(this.label)}; skipped, the rest was read`,
      });
    const last = this.out;
    this.out = '';
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
    if (!lines) {
      this.noteGarbled(this.recordLine);
      return;
    }
    for (const l of lines) {
      this.out += `${l}\n`;
      this.origin.note(this.recordLine);
    }
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
  for (const kind of [DOCKER, JOURNAL, CLOUDWATCH, INSIGHTS, LOG_SHOW, ELASTIC_HIT, SPLUNK, DATADOG, ELASTIC_DOC]) {
    const m = kind.key.exec(head);
    if (!m) continue;
    if (kind === ELASTIC_DOC && !ELASTIC_MARKS.test(head)) continue;
    if (kind === DATADOG && !/"type"\s*:\s*"log"/.test(head)) continue;
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

/** Whole lines out of text as it streams past; a line longer than this is cut there (the readers keep less of it still). */
const MAX_CARRY = 1 << 20;

abstract class LineUnwrapper implements Unwrapper {
  readonly problems: UnwrapProblem[] = [];
  readonly origin = new LineOrigin();
  abstract readonly label: string;
  private carry = '';
  /** Inside a line longer than MAX_CARRY: the rest of it is skipped. */
  private skipping = false;
  protected line = 0;

  push(input: string): string {
    let out = '';
    let from = 0;
    for (;;) {
      const nl = input.indexOf('\n', from);
      if (nl < 0) break;
      if (this.skipping) this.skipping = false;
      else out += this.whole(this.carry + input.slice(from, nl));
      this.carry = '';
      from = nl + 1;
    }
    if (!this.skipping && from < input.length) {
      this.carry += input.slice(from);
      if (this.carry.length > MAX_CARRY) {
        out += this.whole(this.carry.slice(0, MAX_CARRY));
        this.carry = '';
        this.skipping = true;
      }
    }
    return out;
  }

  end(): string {
    const rest = this.carry;
    this.carry = '';
    return rest && !this.skipping ? this.whole(rest) : '';
  }

  /** The inner lines of one input line, each ended by a newline and noted with the file line its record starts at. */
  private whole(line: string): string {
    const n = ++this.line;
    const { lines, from } = this.lineOf(line.endsWith('\r') ? line.slice(0, -1) : line, n);
    this.put(lines, from);
    const out = this.out;
    this.out = '';
    return out;
  }

  /** Inner lines written so far and not yet handed on. */
  private out = '';

  /** Writes inner lines of a record that starts at file line `from` (a record held back is written when its turn comes). */
  protected put(lines: readonly string[], from: number): void {
    for (const l of lines) {
      this.out += `${l}\n`;
      this.origin.note(from);
    }
  }

  /** What put() wrote since the last input line (at the end of the text). */
  protected taken(): string {
    const out = this.out;
    this.out = '';
    return out;
  }

  /** The inner lines of one input line, and the file line their record starts at. */
  protected abstract lineOf(line: string, n: number): { lines: readonly string[]; from: number };
}

/** `kubectl logs --timestamps`: RFC 3339 with nanoseconds, a space, the container's line. */
const KUBECTL = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/;

class KubectlPrefix extends LineUnwrapper {
  readonly label = 'kubectl logs --timestamps output';
  protected lineOf(line: string, n: number): { lines: readonly string[]; from: number } {
    const m = KUBECTL.exec(line);
    // The container's own time wins: it is what the server wrote (and its zone, as written).
    return { lines: [m && hasOwnTime(m[2]!) ? m[2]! : line], from: n };
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

// ------------------------------------------------------------ syslog

const MONTH_NAMES = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
/** A log level (any case) where syslog puts the host is an application's own `TIME LEVEL logger: message` line, not syslog. */
const NOT_A_LEVEL = '(?!(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRIT|CRITICAL|ALERT|EMERG)\\b)';
/** RFC 3164 (journalctl's short output, rsyslog's traditional file format), with the <PRI> a receiver keeps or without. */
const BSD_SYSLOG = new RegExp(
  `^(?:<\\d{1,3}>)?(?:${MONTH_NAMES}) [ \\d]\\d \\d{2}:\\d{2}:\\d{2} ${NOT_A_LEVEL}\\S+ ([A-Za-z][^\\s:[]*)(?:\\[\\d+\\])?:(?: |$)`,
  'i',
);
/**
 * rsyslog's high-precision file format, journalctl -o short-iso: a whole
 * time, host, program[pid]. Only with the pid: "2026-11-30T10:00:00Z WARN
 * apns: …" is a program's own line.
 */
const ISO_SYSLOG = new RegExp(
  `^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})) ${NOT_A_LEVEL}\\S+ ([A-Za-z][^\\s:[]*)\\[\\d+\\]:(?: |$)`,
  'i',
);
/** RFC 5424: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, then the structured data and the message. */
const SYSLOG_5424 = /^<\d{1,3}>1 (\S+) \S+ (\S+) \S+ \S+ /;
/** Apple's own processes: their syslog lines are a device's, which the device log reader reads as they are. */
const DEVICE_PROCESS = /^(?:mdmd|mdmclient|apsd|ManagedClient|dasd|profiled|SpringBoard|backboardd|locationd|installd|storedownloadd|appstored)$/;

/** RFC 5424's structured data (`-` or `[id k="v"]…`, `\]` escaped) from `at`: where the message starts, or -1. */
function afterStructuredData(line: string, at: number): number {
  if (line[at] === '-') return at + 1;
  let i = at;
  while (line[i] === '[') {
    i++;
    while (i < line.length && line[i] !== ']') i += line[i] === '\\' ? 2 : 1;
    if (i >= line.length) return -1;
    i++;
  }
  return i === at ? -1 : i;
}

/** A syslog line's time (undefined for RFC 3164's, which has no year), program and message, or undefined for no syslog line. */
function syslogParts(line: string): { stamp: string | undefined; program: string; message: string } | undefined {
  let m = SYSLOG_5424.exec(line);
  if (m) {
    const end = afterStructuredData(line, m[0].length);
    if (end < 0) return undefined;
    // The message may open with a BOM (RFC 5424 6.4).
    const message = line.slice(end).replace(/^ ?\uFEFF?/, '');
    return { stamp: m[1] === '-' ? undefined : stampOf(m[1], false), program: m[2]!, message };
  }
  m = ISO_SYSLOG.exec(line);
  if (m) return { stamp: stampOf(m[1], false), program: m[2]!, message: line.slice(m[0].length) };
  m = BSD_SYSLOG.exec(line);
  if (m) return { stamp: undefined, program: m[1]!, message: line.slice(m[0].length) };
  return undefined;
}

/**
 * A server's lines as syslog kept them: the prefix goes when the line after
 * it starts with its own time; otherwise a whole syslog time (RFC 5424, ISO)
 * takes the prefix's place, and an RFC 3164 line (no year) stays as it is,
 * its <PRI> dropped.
 */
class SyslogPrefix extends LineUnwrapper {
  readonly label = 'syslog file';
  protected lineOf(line: string, n: number): { lines: readonly string[]; from: number } {
    const p = syslogParts(line);
    if (!p) return { lines: [line], from: n };
    if (hasOwnTime(p.message)) return { lines: [p.message], from: n };
    if (p.stamp) return { lines: [`${p.stamp} ${p.message}`], from: n };
    return { lines: [line.replace(/^<\d{1,3}>/, '')], from: n };
  }
}

/** Syslog prefixes when the head's lines (but continuations and journalctl's `-- Boot … --` lines) all have one, and none is a device's. */
function syslogFor(head: string): Unwrapper | undefined {
  const lines = head
    .split('\n', 40)
    .slice(0, -1)
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() && !/^\s/.test(l) && !/^-- .* --$/.test(l));
  if (lines.length === 0) return undefined;
  let changes = false;
  for (const l of lines) {
    const p = l.length > 8000 ? undefined : syslogParts(l);
    if (!p || DEVICE_PROCESS.test(p.program)) return undefined;
    changes ||= !!p.stamp || l.startsWith('<') || hasOwnTime(p.message);
  }
  // RFC 3164 lines whose messages carry no time of their own would come out as they went in: read as they are.
  return changes ? new SyslogPrefix() : undefined;
}

// ------------------------------------------------------------ CSV exports

const TIME_COLUMNS = ['@timestamp', 'timestamp', 'time', '_time', 'date'];
/**
 * Columns of CSVs other readers own, whose rows are not one log line each:
 * unifiedlog_iterator's (`Event Type`, `Subsystem`), Secure Mail's
 * (`Category`, `Module`).
 */
const OTHER_READERS = ['event type', 'log type', 'subsystem', 'module', 'category'];
/**
 * Columns holding the line, the best first: the line as the server wrote it
 * (Elastic's `event.original` and `log.original`, Splunk's `_raw`) before a
 * message a pipeline may have cut out of it.
 */
const MESSAGE_COLUMNS = ['event.original', 'log.original', '_raw', '@message', 'message', 'msg', 'log'];

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

/** Lines of one CSV record at most: a message (a stack trace) runs to a few hundred. */
const MAX_RECORD_LINES = 10_000;
/**
 * Characters of records held back to be put in time order: a newest-first
 * export (Datadog's, Kibana's and Graylog's by default) is held whole and
 * read from its last row up, so that what happened later is read later.
 */
const MAX_HELD = 32 << 20;

/** One CSV record's inner lines, the file line it starts at, and its time (NaN when it has none). */
interface CsvRecord {
  lines: readonly string[];
  from: number;
  at: number;
}

/**
 * A log export as CSV (CloudWatch Logs Insights, Graylog, Kibana, Datadog,
 * Excel with its `sep=` line): the message column, dated by the time column.
 * A quoted message may run over several lines. Rows newest first (the order
 * log consoles show and export them in) are read oldest first.
 */
class CsvExport extends LineUnwrapper {
  readonly label: string;
  private header = true;
  private pending: string[] = [];
  private pendingFrom = 0;
  private pendingChars = 0;
  private quotes = 0;
  /** Records cut at MAX_RECORD_LINES. */
  private cut = 0;
  /**
   * The rows' order, told by the first two different times: `undecided`
   * until then (the rows read so far are held), `file` once the rows go
   * forward in time (or could not be held), `newest` while held to be read
   * from the last.
   */
  private order: 'undecided' | 'file' | 'newest' = 'undecided';
  private held: CsvRecord[] = [];
  private heldChars = 0;
  private firstAt = Number.NaN;
  private lastAt = Number.NaN;
  /** A newest-first export whose times go forward somewhere: not one order, read as it is. */
  private mixed = false;

  constructor(
    private readonly sep: string,
    private readonly sepLine: boolean,
    private readonly time: number,
    private readonly message: number,
    private readonly utc: boolean,
    label: string,
  ) {
    super();
    this.label = label;
  }

  protected lineOf(line: string, n: number): { lines: readonly string[]; from: number } {
    if ((n === 1 && this.sepLine) || this.header) {
      if (!(n === 1 && this.sepLine)) this.header = false;
      return { lines: [], from: n };
    }
    if (!this.pending.length) {
      this.pendingFrom = n;
      this.pendingChars = 0;
    }
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    for (let at = line.indexOf('"'); at >= 0; at = line.indexOf('"', at + 1)) this.quotes++;
    // An odd count of quotes: a quoted field goes on in the next line.
    if (this.quotes % 2 === 1) {
      if (this.pending.length < MAX_RECORD_LINES && this.pendingChars < MAX_RECORD) return { lines: [], from: n };
      if (!this.cut++)
        this.problems.push({
          code: 'wrapper.garbled',
          message: `line ${this.pendingFrom} opens a quoted field of ${article(this.label)} that runs over ${this.pending.length} lines: read as one record, and the lines after it as new records`,
        });
    }
    this.take(this.record());
    return { lines: [], from: n };
  }

  /** A quoted field still open when the text ended: what it holds is read all the same, and said. */
  override end(): string {
    const last = super.end();
    if (this.pending.length) {
      if (this.quotes % 2 === 1)
        this.problems.push({
          code: 'wrapper.garbled',
          message: `line ${this.pendingFrom} opens a quoted field of ${article(this.label)} that never closes: the ${this.pending.length} lines from there to the end were read as one record`,
        });
      this.take(this.record());
    }
    if (this.order === 'newest' && this.mixed)
      this.problems.push({
        code: 'wrapper.unordered',
        message: `its rows are in no one time order (newest first, then going forward again): read in the order of the file, so which came first may be misread`,
      });
    if (this.order === 'newest' && !this.mixed) for (let i = this.held.length - 1; i >= 0; i--) this.put(this.held[i]!.lines, this.held[i]!.from);
    else this.release();
    this.held = [];
    return last + this.taken();
  }

  /** A whole record: written at once when the rows go forward in time, held while that is not known. */
  private take(r: CsvRecord): void {
    if (this.order === 'file') {
      this.put(r.lines, r.from);
      return;
    }
    this.held.push(r);
    this.heldChars += r.lines.reduce((k, l) => k + l.length + 1, 16);
    if (!Number.isNaN(r.at)) {
      if (Number.isNaN(this.firstAt)) this.firstAt = r.at;
      else if (this.order === 'undecided' && r.at !== this.firstAt) this.order = r.at > this.firstAt ? 'file' : 'newest';
      if (this.order === 'newest' && r.at > this.lastAt) this.mixed = true;
      this.lastAt = r.at;
    }
    if (this.order === 'file') this.release();
    else if (this.heldChars > MAX_HELD) {
      if (this.order === 'newest')
        this.problems.push({
          code: 'wrapper.unordered',
          message: `its rows are newest first and too many to put in order (over ${MAX_HELD >> 20} MiB): read in the order of the file, so which came first may be misread`,
        });
      this.release();
      this.order = 'file';
    }
  }

  /** Writes the records held, in the order of the file. */
  private release(): void {
    for (const r of this.held) this.put(r.lines, r.from);
    this.held = [];
    this.heldChars = 0;
  }

  /** The record in `pending`: its inner lines and its time. */
  private record(): CsvRecord {
    const record = this.pending.join('\n');
    const from = this.pendingFrom;
    this.pending = [];
    this.quotes = 0;
    if (!record.trim()) return { lines: [], from, at: Number.NaN };
    const f = csvFields(record, this.sep);
    const msg = f[this.message];
    if (msg === undefined) return { lines: [], from, at: Number.NaN };
    const stamp = stampOf(f[this.time], this.utc);
    return { lines: dated(msg, stamp), from, at: stamp ? Date.parse(stamp) : Number.NaN };
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
  if (!headerLine || headerLine.length > 8000) return undefined;
  if (!sepLine && !headerLine.includes(',')) {
    if (headerLine.includes('\t')) sep = '\t';
    else if (headerLine.includes(';')) sep = ';';
    else return undefined;
  }
  const cols = csvFields(headerLine, sep).map((c) => c.trim().toLowerCase());
  const time = cols.findIndex((c) => TIME_COLUMNS.includes(c));
  const name = MESSAGE_COLUMNS.find((c) => cols.includes(c));
  if (time < 0 || !name || cols.length > 200 || cols.some((c) => OTHER_READERS.includes(c))) return undefined;
  // Logs Insights writes its times in UTC without saying so; Kibana in the zone of the browser that asked.
  const insights = name === '@message';
  const label = insights
    ? 'CloudWatch Logs Insights CSV export'
    : name === '_raw'
      ? 'Splunk CSV export'
      : cols[time] === '@timestamp'
        ? 'Kibana CSV export'
        : cols[time] === 'date' && name === 'message' && cols.includes('host') && cols.includes('service')
          ? 'Datadog Log Explorer CSV export'
          : 'CSV log export';
  return new CsvExport(sep, !!sepLine, time, cols.indexOf(name), insights, label);
}

// ------------------------------------------------------------ records over several lines

/**
 * A line that starts a log record with its time: ISO 8601 or Python's,
 * Java's, .NET's `2026-11-20 10:22:33,120`, Go's `2026/11/20 10:22:33`,
 * gorush's `2026/11/20 - 10:22:33`, Monolog's `[2026-11-20T10:22:33…]`.
 */
const RECORD_START = /^\[?\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]| - )\d{2}:\d{2}/;
/**
 * A line that goes on with the record above it: indented (a pretty-printed
 * JSON body, node's util.inspect, a stack frame), a bracket or brace of a
 * printed object, a Java / .NET / Python / PHP stack trace's own lines and
 * its exception (`com.example.PushException: …`, `apns2.errors.BadDeviceToken`,
 * `ValueError: …`). Tested on the line's first characters only.
 */
const CONTINUATION =
  /^(?:[ \t]+\S|[{}\]]|\[(?:\s|$|[{["'\]])|(?:Caused by|Suppressed|Stack trace|Next [\w\\]{1,200}): |Traceback \(most recent call last\)|During handling of the above exception|The above exception was the direct cause|\.\.\. \d{1,9} (?:more|common frames omitted)|--- End of |#\d{1,9} |(?:[a-z_$][\w$]{0,200}\.){1,30}[A-Z][\w$]{0,200}(?::\s|$)|[A-Z]\w{0,200}(?:Error|Exception|Warning)(?::\s|$))/;
/** A record joined from more lines than this, or longer, goes on as lines of their own (a 10,000-line dump is no one event). */
const MAX_JOINED_LINES = 200;
const MAX_JOINED_CHARS = 8000;
/** Blank lines a record may hold (between a Python traceback's parts). */
const MAX_HELD_BLANKS = 3;

function isContinuation(line: string): boolean {
  return CONTINUATION.test(line.length > 300 ? line.slice(0, 300) : line);
}

/**
 * A plain log whose records may run over several lines: a provider that logs
 * a failed push, then the APNs answer's JSON body pretty-printed or a stack
 * trace under it. Each record is read as one line, its lines joined by a
 * space, so that what its later lines say (the reason) is read with what its
 * first line says (the time, its zone, the device token) and is named by the
 * line it starts on, as a wrapped record's lines are. A line with a time of
 * its own, or one that does not read as a continuation, is a record of its
 * own: lines of other devices' pushes are never joined.
 */
class RecordJoiner extends LineUnwrapper {
  readonly label = 'log with records over several lines';
  private parts: string[] = [];
  private chars = 0;
  private from = 0;
  /** Blank lines after the record, held until it is known whether it goes on after them. */
  private blanks: number[] = [];

  protected lineOf(line: string, n: number): { lines: readonly string[]; from: number } {
    if (RECORD_START.test(line)) {
      this.flush();
      this.parts = [line];
      this.chars = line.length;
      this.from = n;
    } else if (!line.trim()) {
      if (this.parts.length && this.blanks.length < MAX_HELD_BLANKS) this.blanks.push(n);
      else {
        this.flush();
        this.put([line], n);
      }
    } else if (this.parts.length && this.parts.length < MAX_JOINED_LINES && this.chars + line.length < MAX_JOINED_CHARS && isContinuation(line)) {
      const part = line.trim();
      this.parts.push(part);
      this.chars += part.length + 1;
      this.blanks = [];
    } else {
      this.flush();
      this.put([line], n);
    }
    return { lines: [], from: n };
  }

  override end(): string {
    const last = super.end();
    this.flush();
    return last + this.taken();
  }

  /** Writes the record read so far as one line, then the blank lines held after it. */
  private flush(): void {
    if (this.parts.length) this.put([this.parts.join(' ')], this.from);
    this.parts = [];
    this.chars = 0;
    for (const b of this.blanks) this.put([''], b);
    this.blanks = [];
  }
}

/**
 * Records over several lines when the head's first line starts a record and
 * a record in it goes on in the next line; not a device's log (its own
 * reader knows its multi-line messages). A log whose records are all one
 * line is read as it is.
 */
function recordsFor(head: string): Unwrapper | undefined {
  const lines = head.split('\n', 2000);
  lines.pop();
  let i = 0;
  while (i < lines.length && !lines[i]!.trim()) i++;
  if (i >= lines.length || !RECORD_START.test(lines[i]!) || looksLikeDeviceLog(Buffer.from(head.slice(0, 4096), 'latin1'))) return undefined;
  let inRecord = false;
  for (; i < lines.length; i++) {
    const l = lines[i]!.replace(/\r$/, '');
    if (RECORD_START.test(l)) inRecord = true;
    else if (inRecord && l.trim() && isContinuation(l)) return new RecordJoiner();
    else if (l.trim()) inRecord = false;
  }
  return undefined;
}

/**
 * The unwrapper for a text whose first characters are `head` (decoded, up to
 * a few KiB), or undefined when it is no wrapper pushcheck knows: then the
 * text is read as it is.
 */
export function unwrapperFor(head: string): Unwrapper | undefined {
  return jsonRecordsFor(head) ?? syslogFor(head) ?? kubectlFor(head) ?? csvFor(head) ?? recordsFor(head);
}
