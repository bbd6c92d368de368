import type { Fact, Problem } from '../../facts/schema.js';
import { problemOf, sourceOf, type Item, type LinePrefilter, type LineReader, type LineSink, type ReadContext, type ReadResult } from '../types.js';
import { JsonStyleEvents } from './jsonStyle.js';
import { isFrameLine, parseLogLine, type LogLine } from './lineFormat.js';
import { isPushPathLine, MAY_MATTER_WORDS, mayMatter, observe, type Observation } from './messages.js';
import { looksLikeDeviceLog, nameLooksLikeLog } from './recognise.js';
import { timeOf } from './timeOf.js';
import { isUnifiedLogCsvHeader, UnifiedLogCsv } from './unifiedLogCsv.js';

/** Facts of one name kept per file: the first and the last ones (a 300 MB log can hold millions). */
const KEEP_FIRST = 100;
const KEEP_LAST = 100;
/** Lines looked at to recognise a log format before giving up on lines that do not mention MDM or APNs. */
const RECOGNISE_WITHIN = 2000;

/**
 * Whether a line hides a value that matters (a topic, token, host, PushMagic). apsd writes a
 * push's payload as '<private>' even on a device with the logging profiles; that hides nothing
 * pushcheck reads, so it is no reason to ask for the profiles.
 */
function hidesValues(text: string): boolean {
  if (!text.includes('<private>')) return false;
  return text.replace(/\bpayload:?\s*'?<private>'?/gi, '').includes('<private>');
}

/** One observation of a line, kept as read: its fact is built only if it is among the ones used. */
interface Seen {
  l: LogLine;
  n: number;
  o: Observation;
}

/**
 * The first KEEP_FIRST and the last KEEP_LAST observations of one fact name,
 * and how many there were. A push-heavy log holds thousands: the ones in the
 * middle are only counted, so no fact (attributes, time, source) is built
 * for them.
 */
class Kept {
  readonly first: Seen[] = [];
  /** The last ones, as a ring: `next` is where the oldest sits once it is full. */
  private readonly ring: Seen[] = [];
  private next = 0;
  total = 0;
  add(s: Seen): void {
    this.total++;
    if (this.first.length < KEEP_FIRST) this.first.push(s);
    else if (this.ring.length < KEEP_LAST) this.ring.push(s);
    else {
      this.ring[this.next] = s;
      this.next = (this.next + 1) % KEEP_LAST;
    }
  }
  /** The kept observations in the order they were read. */
  kept(): Seen[] {
    return [...this.first, ...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
  get keptCount(): number {
    return this.first.length + this.ring.length;
  }
}

// A bare message, as people paste it from Console: "mdmd: Rejecting …" or just "Rejecting …".
const RE_BARE_PROCESS = /^([\w.-]+)(?:\(([^)]*)\))?(?:\[\d+\])?:\s+(.*)$/;
function bareLine(text: string): LogLine {
  const t = text.trim();
  const m = RE_BARE_PROCESS.exec(t);
  return m ? { format: 'bare', process: m[1], ...(m[2] ? { library: m[2] } : {}), message: m[3] } : { format: 'bare', message: t };
}

/**
 * Lines this sink acts on, for the feeder to skip the rest undecoded: any
 * that may matter (the needles are mayMatter's words), and every line starting
 * like `log show --style json` output (space, quote, brackets, braces),
 * since JsonStyleEvents keeps state across those. Until the format is
 * recognised (or given up on), wantsEveryLine asks for all lines.
 */
const PREFILTER: LinePrefilter = {
  needles: MAY_MATTER_WORDS,
  startBytes: [32, 34, 91, 123, 125],
};

/**
 * An MDM server's own logfmt line (NanoMDM, MicroMDM, NanoLIB: `ts=… level=info service=nanomdm …`). Every
 * NanoMDM line holds "mdm", so without this a server log of half a million lines went through the device
 * matchers line by line to yield nothing: no device process writes these, and the server-log reader reads them.
 */
const SERVER_LOGFMT = /^(?:(?:ts|time)=\S+ )?level=[a-z]+ (?:\S+=\S* )*?(?:service|handler|component|caller|msg)=/;
function isServerLogfmt(text: string): boolean {
  const c = text.charCodeAt(0);
  // 't' (ts=, time=) or 'l' (level=): one comparison for most lines of every other log.
  return (c === 116 || c === 108) && SERVER_LOGFMT.test(text);
}

class DeviceLogSink implements LineSink {
  readonly prefilter = PREFILTER;
  private readonly kept = new Map<string, Kept>();
  private readonly problems: Problem[] = [];
  private readonly json = new JsonStyleEvents();
  /** Set once a unifiedlog_iterator CSV header is seen: the rest of the text is its records. */
  private csv: UnifiedLogCsv | undefined;
  private recognised = false;
  private looked = 0;
  private relevant = 0;
  private redactedAt = 0;
  private plainAt = 0;
  private bytes = 0;
  private stopped = false;

  constructor(
    private readonly item: Item,
    private readonly ctx: ReadContext,
  ) {}

  wantsEveryLine(): boolean {
    return !this.stopped && !this.recognised && this.looked < RECOGNISE_WITHIN;
  }

  line(text: string, n: number): void {
    if (this.stopped) return;
    this.bytes += text.length + 1;
    if (this.bytes > this.ctx.limits.maxLogBytes) {
      this.stopped = true;
      this.problems.push(
        problemOf(this.item, 'text.log_truncated', `is longer than ${this.ctx.limits.maxLogBytes} bytes of text; lines after ${n - 1} were not scanned`),
      );
      return;
    }
    if (!text) return;
    if (isServerLogfmt(text)) {
      // Counted towards recognising the format as before, so the lines looked at after it are the same.
      if (!this.recognised && this.looked < RECOGNISE_WITHIN && !mayMatter(text)) this.looked++;
      return;
    }
    if (this.csv) {
      if (!mayMatter(text)) return;
      const row = this.csv.row(text);
      if (row) this.event(row, n, text);
      return;
    }
    if (!this.recognised && isUnifiedLogCsvHeader(text)) {
      this.csv = new UnifiedLogCsv(text);
      this.recognised = true;
      return;
    }
    const c0 = text.charCodeAt(0);
    if (c0 === 32 || c0 === 34 || c0 === 91 || c0 === 123 || c0 === 125) {
      const r = this.json.line(text, n);
      if (r.done) this.event(r.done.event, r.done.line, '');
      if (r.consumed) {
        this.recognised ||= this.json.seen;
        return;
      }
    }
    if (!mayMatter(text)) {
      if (!this.recognised && this.looked < RECOGNISE_WITHIN) {
        this.looked++;
        if (isFrameLine(text) || parseLogLine(text)) this.recognised = true;
      }
      return;
    }
    if (isFrameLine(text)) {
      this.recognised = true;
      return;
    }
    const parsed = parseLogLine(text);
    if (parsed) this.recognised = true;
    this.event(parsed ?? bareLine(text), n, text);
  }

  private event(l: LogLine, n: number, raw: string): void {
    const obs = observe(l);
    const pushPath = isPushPathLine(l);
    if (!pushPath && !obs.length) return;
    this.recognised = true;
    this.relevant++;
    if (hidesValues(raw) || hidesValues(l.message)) this.redactedAt ||= n;
    else this.plainAt ||= n;
    for (const o of obs) {
      let k = this.kept.get(o.name);
      if (!k) this.kept.set(o.name, (k = new Kept()));
      k.add({ l, n, o });
    }
  }

  private factOf({ l, n, o }: Seen): Fact {
    const t = timeOf(l.time);
    // Copied key by key: a spread of objects of many shapes takes V8's slow path.
    const attrs: Record<string, string> = {};
    const from = o.attrs;
    if (from) for (const k in from) attrs[k] = from[k]!;
    if (l.time) attrs.logged_at = l.time;
    if (t.note) attrs.time_note = t.note;
    if (t.zone) attrs.zone = t.zone;
    if (l.process && !attrs.process) attrs.process = l.process;
    if (l.host) attrs.host = l.host;
    // Assigned in this order (no spreads): it is the order of the report's keys.
    const fact: Fact = { name: o.name, value: o.value ?? t.at ?? l.time ?? 'time not logged', source: sourceOf(this.item, n) };
    if (t.at) fact.at = t.at;
    for (const _ in attrs) {
      fact.attrs = attrs;
      break;
    }
    return fact;
  }

  end(): ReadResult {
    const last = this.json.flush();
    if (last) this.event(last.event, last.line, '');
    const facts: Fact[] = [];
    for (const [name, k] of this.kept) {
      for (const seen of k.kept()) facts.push(this.factOf(seen));
      if (k.total > k.keptCount) {
        this.problems.push(
          problemOf(this.item, 'text.events_capped', `holds ${k.total} lines for ${name}; the first ${KEEP_FIRST} and the last ${KEEP_LAST} are used`),
        );
      }
    }
    if (this.recognised || this.relevant) {
      facts.push({ name: 'device.log.mdm_lines', value: this.relevant, source: sourceOf(this.item) });
    }
    if (this.redactedAt) facts.push({ name: 'device.log.redacted', value: true, source: sourceOf(this.item, this.redactedAt) });
    else if (this.plainAt) facts.push({ name: 'device.log.redacted', value: false, source: sourceOf(this.item, this.plainAt) });
    return { facts, problems: this.problems };
  }
}

/**
 * mdmd / mdmclient / apsd / ManagedClient lines in every text form people
 * hand over: `log show` (default, compact, syslog, ndjson, json styles),
 * Console copies, old syslog and PersistentConnection logs, or a few lines
 * pasted into a message.
 */
export const deviceLogReader: LineReader = {
  id: 'text.device-log',
  kind: 'lines',
  accepts(name, head, item) {
    if (item.pasted) return looksLikeDeviceLog(head);
    return nameLooksLikeLog(name, item.member ?? item.input, head) || looksLikeDeviceLog(head);
  },
  open(item, ctx) {
    return new DeviceLogSink(item, ctx);
  },
};
