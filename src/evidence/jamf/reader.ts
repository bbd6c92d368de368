import { foldFacts } from '../../facts/fold.js';
import { unusableValueFact } from '../../facts/valueShape.js';
import type { Fact } from '../../facts/schema.js';
import { isInSysdiagnose } from '../sysdiagnose.js';
import { problemOf, sourceOf, type Item, type LineReader, type LineSink, type ReadResult } from '../types.js';
import { looksLikeJamfLog, readJamfLine, type JamfLine } from './line.js';
import { jamfPushOf, NO_DEVICE, type JamfPush } from './pushes.js';

/**
 * Jamf Pro's server log: its push lines become the facts every MDM server
 * log gives (server.push_sent per device with APNs's status and reason,
 * server.push_status), each device named by its UDID and Jamf's own id.
 * Jamf writes "sending" and "APNs answered" on lines of their own: an answer
 * belongs to the latest push to the same device that has none yet, so the
 * push keeps the time it left and gains the answer.
 */

/** An answer further than this from its push is another push's (Jamf answers within seconds). */
const ANSWER_WITHIN_MS = 60_000;
const MAX_PUSHES = 200_000;

interface Sent {
  line: number;
  l: JamfLine;
  p: JamfPush;
  answer?: { line: number; l: JamfLine; p: JamfPush };
}

class JamfLogSink implements LineSink {
  readonly prefilter = { needles: ['push', 'Push', 'PUSH', 'APNs', 'APNS', 'apns'] };
  private readonly pushes: Sent[] = [];
  /** The latest push to each device still waiting for its answer. */
  private readonly waiting = new Map<string, Sent>();
  private dropped = 0;
  private unnamed = 0;
  private firstUnnamed = 0;

  constructor(private readonly item: Item) {}

  line(text: string, n: number): void {
    const l = readJamfLine(text);
    if (!l) return;
    const p = jamfPushOf(l);
    if (!p) return;
    if (p === NO_DEVICE) {
      this.unnamed++;
      this.firstUnnamed ||= n;
      return;
    }
    const key = (p.deviceId ?? p.udid).toUpperCase();
    const w = this.waiting.get(key);
    if (!p.sending && w && Date.parse(l.at) - Date.parse(w.l.at) <= ANSWER_WITHIN_MS) {
      w.answer = { line: n, l, p };
      this.waiting.delete(key);
      return;
    }
    if (this.pushes.length >= MAX_PUSHES) {
      this.dropped++;
      return;
    }
    const s: Sent = { line: n, l, p };
    this.pushes.push(s);
    if (p.sending) this.waiting.set(key, s);
    else this.waiting.delete(key);
  }

  end(): ReadResult {
    const facts: Fact[] = [];
    for (const s of this.pushes) this.factsOf(s, facts);
    const problems = [];
    if (this.dropped)
      problems.push(problemOf(this.item, 'jamflog.pushes_truncated', `holds more than ${MAX_PUSHES} push lines; the first ${MAX_PUSHES} were read`));
    if (this.unnamed)
      problems.push(
        problemOf(
          this.item,
          'jamflog.incomplete_lines',
          `${this.unnamed} Jamf Pro push line(s) (first at line ${this.firstUnnamed}) name no device (the UDID and device id are masked, cut or missing); they were skipped`,
        ),
      );
    return { facts: foldFacts(facts), problems };
  }

  private topicOf(s: Sent, out: Fact[]): void {
    const f = topicFact(s, this.item);
    if (f) out.push(f);
  }

  private factsOf(s: Sent, out: Fact[]): void {
    const p = s.p;
    const a = s.answer?.p;
    const who: Record<string, string> = { udid: p.udid, channel: 'device' };
    if (p.deviceId) who.device_id = p.deviceId;
    const serial = p.serial ?? a?.serial;
    if (serial) who.serial = serial;
    if (s.l.zone) who.zone = s.l.zone;
    const code = a ? a.code : p.code;
    const failed = a ? a.failed : p.failed;
    const attrs: Record<string, string> = { ...who, status: code !== undefined ? String(code) : failed ? 'failed' : 'sent' };
    const reason = a?.reason ?? p.reason;
    if (reason) attrs.reason = reason;
    const apnsId = a?.apnsId ?? p.apnsId;
    if (apnsId) attrs.apns_id = apnsId;
    const topic = p.topic ?? a?.topic;
    if (topic) attrs.topic = topic;
    if (p.magic ?? a?.magic) attrs.push_magic = 'logged';
    if (p.token ?? a?.token) attrs.push_token = 'logged';
    out.push({ name: 'server.push_sent', value: true, source: sourceOf(this.item, s.line), at: s.l.at, attrs });
    this.topicOf(s, out);
    if (code === undefined) return;
    const answeredOn = s.answer ?? s;
    const statusAttrs: Record<string, string> = { ...who, ...(answeredOn.l.zone ? { zone: answeredOn.l.zone } : {}) };
    if (apnsId) statusAttrs.apns_id = apnsId;
    out.push({ name: 'server.push_status', value: code, source: sourceOf(this.item, answeredOn.line), at: answeredOn.l.at, attrs: statusAttrs });
  }
}

/** The topic a push went out on is the server's push topic (its certificate's); a masked one is named, never compared. */
function topicFact(s: Sent, item: Item): Fact | undefined {
  const source = sourceOf(item, s.line);
  const zone = s.l.zone ? { zone: s.l.zone } : undefined;
  if (s.p.topic) return { name: 'server.topic', value: s.p.topic, source, at: s.l.at, ...(zone ? { attrs: zone } : {}) };
  const u = s.p.unusableTopic;
  return u ? unusableValueFact('server.topic', 'topic', u.raw, u.judged, source, { at: s.l.at, ...(zone ? { attrs: zone } : {}) }) : undefined;
}

export const jamfServerLogReader: LineReader = {
  id: 'jamf.server_log',
  kind: 'lines',
  accepts(name, head, item) {
    if (item.pasted) return true;
    if (isInSysdiagnose(item)) return false;
    return /jamf|\bjss/i.test(name) || looksLikeJamfLog(head.toString('utf8'));
  },
  open(item: Item) {
    return new JamfLogSink(item);
  },
};
