import { toIsoTime } from '../../facts/normalize.js';
import { jsonTooLarge, MAX_JSON_VALUES } from '../jsonSize.js';
import { NO_LINES, parsePlist } from '../plist/index.js';
import { problemOf, type BufferReader, type Item, type ReadContext, type ReadResult } from '../types.js';
import { Collector } from './emit.js';
import { readMdmPlist } from './route.js';

/** MicroMDM / NanoMDM webhook events: check-ins and command results wrapped in JSON, the plist base64 in raw_payload. */
const EVENT_HINT = /"(checkin_event|acknowledge_event|raw_payload)"|"topic"\s*:\s*"mdm\./;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObj = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: Json | undefined): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

interface EventAt {
  event: { [k: string]: Json };
  line?: number;
}

/** One JSON document (object or array of events), or NDJSON with one event per line. */
function eventsOf(raw: string): EventAt[] | { error: string } {
  // A document (or line) of more values than any export holds is not built at all: JSON.parse of it could take gigabytes.
  const tooLarge = `holds more than ${MAX_JSON_VALUES} JSON values, over the limit for one document; not read`;
  let failure = tooLarge;
  if (!jsonTooLarge(raw)) {
    try {
      const doc = JSON.parse(raw) as Json;
      const list = Array.isArray(doc) ? doc : [doc];
      // Lines of a pretty-printed document: the n-th event's raw_payload is the n-th occurrence.
      const payloadLines: number[] = [];
      let line = 1;
      let pos = 0;
      for (let i = raw.indexOf('"raw_payload"'); i >= 0; i = raw.indexOf('"raw_payload"', i + 1)) {
        for (let j = raw.indexOf('\n', pos); j >= 0 && j < i; j = raw.indexOf('\n', j + 1)) line++;
        pos = i;
        payloadLines.push(line);
      }
      return list.filter(isObj).map((event, n) => ({ event, line: payloadLines[n] }));
    } catch (e) {
      failure = `is not valid JSON (${(e as Error).message.slice(0, 120)})`;
    }
  }
  const lines = raw.split('\n');
  const out: EventAt[] = [];
  for (let n = 0; n < lines.length; n++) {
    const l = lines[n].trim();
    if (!l.startsWith('{') || jsonTooLarge(l)) continue;
    try {
      const v = JSON.parse(l) as Json;
      if (isObj(v)) out.push({ event: v, line: n + 1 });
    } catch {
      /* a line that is not JSON: counted below */
    }
  }
  return out.length ? out : { error: failure };
}

function readEvent({ event, line }: EventAt, n: number, item: Item, ctx: ReadContext, res: ReadResult): boolean {
  const created = text(event.created_at) ?? '';
  const at = toIsoTime(created) ?? undefined;
  // A created_at without a zone is the server's local time: never compared as if it were UTC.
  const zone = at && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(created) ? 'unknown' : undefined;
  let used = false;
  for (const kind of ['checkin_event', 'acknowledge_event'] as const) {
    const body = event[kind];
    if (!isObj(body)) continue;
    used = true;
    const out = new Collector({ item, lines: NO_LINES, ...(line ? { line } : {}), ...(at ? { at } : {}), ...(zone ? { zone } : {}) });
    const b64 = text(body.raw_payload);
    if (b64) {
      const decoded = /^[A-Za-z0-9+/=\s]+$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
      const parsed = parsePlist(decoded, { maxObjects: ctx.limits.maxPlistObjects });
      if (!parsed.ok)
        out.problem(
          `mdm.webhook.${parsed.code}`,
          `event ${n + 1} (${kind}): its raw_payload ${parsed.code === 'plist.empty' ? 'is not base64' : parsed.message}`,
        );
      else if (!readMdmPlist(parsed.value, item.member ?? item.input, out))
        out.problem('mdm.webhook.unrecognised', `event ${n + 1} (${kind}): its raw_payload is a plist but neither a check-in nor a command result`);
    } else if (kind === 'acknowledge_event' && text(body.status)) {
      // Without the payload the event still says how the device answered.
      out.fact('mdm.command.status', text(body.status)!, {
        attrs: {
          command_uuid: text(body.command_uuid),
          udid: text(body.udid),
          channel: text(body.enrollment_id) && text(body.enrollment_id) !== text(body.udid) ? 'user' : 'device',
        },
      });
    } else {
      out.problem('mdm.webhook.no_payload', `event ${n + 1} (${kind}) has no raw_payload to read`);
    }
    res.facts.push(...out.facts);
    res.problems.push(...out.problems);
  }
  return used;
}

export const mdmWebhookReader: BufferReader = {
  id: 'mdm.webhook_json',
  kind: 'buffer',
  accepts(name, head, item) {
    const h = head.toString('utf8');
    if (item.member && !/webhook/i.test(name)) return false;
    return (/\.(nd)?json$/i.test(name) || /^\s*[[{]/.test(h)) && (EVENT_HINT.test(h) || /webhook/i.test(name));
  },
  read(data, item, ctx) {
    const res: ReadResult = { facts: [], problems: [] };
    const events = eventsOf(data.toString('utf8').replace(/^\uFEFF/, ''));
    if ('error' in events) {
      res.problems.push(problemOf(item, 'mdm.webhook.malformed', events.error));
      return res;
    }
    let used = 0;
    events.forEach((e, n) => {
      if (readEvent(e, n, item, ctx, res)) used++;
    });
    if (!used) res.problems.push(problemOf(item, 'mdm.webhook.no_events', 'is JSON but holds no MDM webhook event (checkin_event or acknowledge_event)'));
    return res;
  },
};
