/**
 * Splits one device log line, in any of the forms people paste, into its
 * parts. Knows nothing about MDM: src/evidence/text/messages.ts decides what
 * a message means.
 */

export type LogFormat = 'default' | 'compact' | 'syslog' | 'ndjson' | 'json' | 'console' | 'unifiedlog' | 'bare';

export interface LogLine {
  format: LogFormat;
  /** The time as logged (with its offset when the line has one). */
  time?: string;
  /** Process name without path or pid, e.g. "mdmd", "apsd". */
  process?: string;
  /** Library or sub-component in parentheses, e.g. "PersistentConnection". */
  library?: string;
  /** os_log subsystem and category when shown, e.g. "com.apple.ManagedClient", "MDMDaemon". */
  subsystem?: string;
  category?: string;
  /** The machine's name, where the line carries it (syslog: "Johns-iPhone"). */
  host?: string;
  message: string;
}

const ISO_TIME = String.raw`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?`;
// Old iOS syslog sometimes starts with the weekday: "Wed Sep 29 02:09:06 unknown mdmd[1810] <Warning>: …".
const SYSLOG_TIME = String.raw`(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d+)?`;

const RE_ISO_START = new RegExp(`^(${ISO_TIME})\\s+(.*)$`);
// "2017-04-29 21:30:02.362540-0400 0x4f27  Default  0x0  616  0  mdmclient: …" (TTL column only in newer macOS)
const RE_DEFAULT_REST = /^0x[0-9a-f]+\s+([A-Za-z]+)\s+0x[0-9a-f]+\s+(\d+)\s+(?:\d+\s+)?(.*)$/;
// "Df mdmd[123:abcd] …"
const RE_COMPACT_REST = /^([A-Z][a-z]?)\s+(.+?)\[(\d+):[0-9a-fx]+\]\s?(.*)$/;
// "[host ]proc[(lib)][pid][ (lib)][ <Level>]: message" — old syslog and `log show --style syslog`. The pid and
// the level are matched, not captured: nothing reads them, and each capture is a string made for every line.
const RE_SYSLOG_REST = /^(?:(\S+)\s+)?([^\s[\]()]+)(?:\(([^)]*)\))?\[\d+(?::[0-9a-fx]+)?\](?:\s+\(([^)]*)\))?(?:\s+<\w+>)?:?\s+(.*)$/;
const RE_SYSLOG_START = new RegExp(`^(${SYSLOG_TIME})\\s+(.*)$`);
// Console.app copies: tab-separated Type, Time, Process, [Subsystem, Category,] Message.
const RE_CONSOLE_LEVEL = /^(?:default|info|debug|error|fault|notice|activity|Default|Info|Debug|Error|Fault|Notice|Activity)$/;
const RE_CONSOLE_TIME = /^(?:\d{4}-\d{2}-\d{2}[ T])?\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?$/;
// "(ManagedConfiguration) [com.apple.ManagedClient:MDMDaemon] message"
const RE_MESSAGE_PREFIX = /^(?:\(([^)]*)\)\s+)?(?:\[([\w.-]+)(?::([\w.-]+))?\]\s+)?/;

/** Lines `log show` prints around the events; never events themselves. */
const RE_FRAME =
  /^(?:Timestamp\s+(?:Thread|Ty)\b|Filtering the log data|Skipping info and debug messages|-{8,}|Log\s+- Default:|\s*Events:|\s*Activities:|\s*Signposts:|\s*Oversize:|\s*Errors:|\s*Faults:|\s*Backtraces?:)/;

export function isFrameLine(line: string): boolean {
  return RE_FRAME.test(line);
}

function splitMessage(body: string, out: LogLine): LogLine {
  // Both prefixes start with a bracket: a message starting otherwise has none, and is taken as it is without a match made for it.
  const c = body.charCodeAt(0);
  const m = c === 40 || c === 91 ? RE_MESSAGE_PREFIX.exec(body) : null;
  if (m?.[0].length) {
    if (m[1] !== undefined) out.library ??= m[1];
    // "[com.apple.ManagedClient.InstallApplication]" — only dotted names are subsystems; "[Acknowledged(…)]" is message.
    if (m[2]?.includes('.')) {
      out.subsystem = m[2];
      if (m[3] !== undefined) out.category = m[3];
      out.message = body.slice(m[0].length);
      return out;
    }
    if (m[1] !== undefined) {
      out.message = body.slice(m[1].length + 2).trimStart();
      return out;
    }
  }
  out.message = body;
  return out;
}

function parseAfterIsoTime(time: string, rest: string): LogLine | null {
  // Each form's first characters are looked at before its expression runs: an exec that fails at once still costs
  // a call and its match state, and most lines of a push-heavy bundle are the syslog form, tried last.
  const c = rest.charCodeAt(0);
  let m = c === 48 && rest.charCodeAt(1) === 120 ? RE_DEFAULT_REST.exec(rest) : null;
  if (m) {
    const body = m[3];
    const colon = body.indexOf(': ');
    const out: LogLine = { format: 'default', time, message: '' };
    if (colon < 0) {
      out.process = body.trim();
      return out;
    }
    out.process = body.slice(0, colon);
    return splitMessage(body.slice(colon + 2), out);
  }
  m = c >= 65 && c <= 90 ? RE_COMPACT_REST.exec(rest) : null;
  if (m) return splitMessage(m[4], { format: 'compact', time, process: m[2], message: '' });
  m = RE_SYSLOG_REST.exec(rest);
  if (m) return syslogLine(m, time);
  return null;
}

/** The host column is only a host when a process follows it; `localhost` is what `log show --style syslog` prints. */
function syslogLine(m: RegExpExecArray, time: string): LogLine {
  const [, host, process, lib1, lib2, message] = m;
  const library = lib1 || lib2;
  // Two literals rather than a spread (one made per line); the keys in the same order either way.
  const out: LogLine = library
    ? { format: 'syslog', time, process: process!, library, message: '' }
    : { format: 'syslog', time, process: process!, message: '' };
  if (host && host !== 'localhost' && host !== 'unknown') out.host = host;
  return splitMessage(message!, out);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** One object of `log show --style ndjson` (or one event of --style json, assembled). */
export function fromJsonEvent(o: Record<string, unknown>): LogLine | null {
  const msg = o.eventMessage ?? o.composedMessage ?? o.message;
  if (typeof msg !== 'string') return null;
  const out: LogLine = { format: 'boot_uuid' in o ? 'unifiedlog' : 'ndjson', message: msg };
  if (typeof o.timestamp === 'string') out.time = o.timestamp;
  const img = o.processImagePath ?? o.process;
  if (typeof img === 'string' && img) out.process = basename(img);
  if (typeof o.subsystem === 'string' && o.subsystem) out.subsystem = o.subsystem;
  if (typeof o.category === 'string' && o.category) out.category = o.category;
  if (typeof o.senderImagePath === 'string' && o.senderImagePath) out.library = basename(o.senderImagePath);
  return out;
}

function parseConsole(line: string): LogLine | null {
  const f = line.split('\t');
  if (f.length < 3) return null;
  let i = 0;
  let time: string | undefined;
  let sawLevel = false;
  // Level and time come first, in either order.
  for (; i < 2 && i < f.length; i++) {
    const v = f[i].trim();
    if (RE_CONSOLE_LEVEL.test(v)) sawLevel = true;
    else if (RE_CONSOLE_TIME.test(v)) time = v;
    else break;
  }
  if (!time || !sawLevel || i >= f.length - 1) return null;
  const process = f[i].trim().replace(/\[\d+\]$/, '');
  const rest = f.slice(i + 1);
  const out: LogLine = { format: 'console', time, process, message: rest[rest.length - 1] };
  if (rest.length >= 3 && rest[0].includes('.')) {
    out.subsystem = rest[0];
    out.category = rest[1];
  }
  return out;
}

const RE_CONSOLE_SPACED =
  /^(default|info|debug|error|fault|notice|activity)\s+((?:\d{4}-\d{2}-\d{2}[ T])?\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s?(?:Z|[+-]\d{2}:?\d{2}))?)\s+([^\s[]+)(?:\[\d+\])?\s+(.*)$/i;

/**
 * Console.app and Xcode's "Open Console" copy lines as type, time (of day,
 * with the Mac's offset), process, message, separated by runs of spaces when
 * pasted through a chat. Subsystem and category columns cannot be told apart
 * from the message then, so they stay in it.
 */
function parseConsoleSpaced(line: string): LogLine | null {
  const m = RE_CONSOLE_SPACED.exec(line);
  if (!m) return null;
  return { format: 'console', time: m[2]!, process: m[3]!, message: m[4]! };
}

/**
 * Parses one line. Returns null for lines that are no log event (blank,
 * frame, continuation, anything else). Cheap to call on any line, but
 * callers prefilter: most lines of a big log never need this.
 */
export function parseLogLine(line: string): LogLine | null {
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const m = RE_ISO_START.exec(line);
    return m ? parseAfterIsoTime(m[1], m[2]) : null;
  }
  if (c === 123 /* { */) {
    // `log show --style ndjson` (eventMessage) or Mandiant's unifiedlog_iterator --format jsonl (message, boot_uuid).
    if (!line.includes('"eventMessage"') && !line.includes('"composedMessage"') && !(line.includes('"boot_uuid"') && line.includes('"message"'))) return null;
    try {
      const o: unknown = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
      return o && typeof o === 'object' && !Array.isArray(o) ? fromJsonEvent(o as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  if (c >= 65 && c <= 90) {
    const m = RE_SYSLOG_START.exec(line);
    if (m) {
      const r = RE_SYSLOG_REST.exec(m[2]);
      return r ? syslogLine(r, m[1]) : null;
    }
  }
  if (line.includes('\t')) return parseConsole(line);
  // Console.app / Xcode's device console copied with spaces: "default 17:24:12.757668-0800  apsd  …".
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return parseConsoleSpaced(line);
  return null;
}
