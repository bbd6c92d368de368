import type { Fact } from '../../facts/schema.js';
import { isPushText } from '../apns/textInput.js';
import { sourceOf, type Item, type LineReader } from '../types.js';

/**
 * `apsctl status` on a Mac (/System/Library/PrivateFrameworks/ApplePushService.framework/apsctl), as Mac
 * admins collect it (Jamf extension attributes, shared/knowledge/apns-mdm.md (c)): one block per
 * application port, opened by `application port name: com.apple.aps.mdmclient.daemon.push.production`
 * (the device channel; `…agent…` is the user channel), with `last push notification: <date>` and
 * `last push notification topic: <topic>` among its fields. The last push a channel received on its
 * topic is the device receiving an MDM push then. The date is the Mac's local time with no zone
 * ("Nov 20, 2026 at 9:31:02 AM"), so it is marked zone unknown.
 */

const PORT = /^\s*application port name:\s*com\.apple\.aps\.mdmclient\.(daemon|agent)\.push\.(production|development)\s*$/;
const OTHER_PORT = /^\s*application port name:/;
const LAST_PUSH = /^\s*last push notification:\s*(.{1,80})$/;
const LAST_TOPIC = /^\s*last push notification topic:\s*(\S{1,200})\s*$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// "Nov 20, 2026 at 9:31:02 AM" (macOS may put a narrow no-break space before AM), or ISO-like "2026-11-20 09:31:02 +0000".
const SPOKEN_DATE = /^([A-Za-z]{3})[a-z]*\s+(\d{1,2}),\s+(\d{4})\s+at\s+(\d{1,2}):(\d{2}):(\d{2})[\s\u202f\u00a0]*([AP]M)?/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\s*([+-])(\d{2}):?(\d{2})|\s*Z)?/;

const pad = (n: number) => String(n).padStart(2, '0');

/** How a time was written, one space between words (macOS puts a narrow no-break space before AM). */
const asWritten = (s: string) => s.replace(/[\s\u202f\u00a0]+/g, ' ').trim();

/** The time a field states, as ISO UTC, with the zone it was written in ("unknown" when none) and the text that wrote it. */
function apsctlTime(text: string): { at: string; zone?: string; logged: string } | undefined {
  const s = SPOKEN_DATE.exec(text);
  if (s) {
    const month = MONTHS.indexOf(s[1]!.toLowerCase());
    let hour = Number(s[4]);
    if (s[7]) hour = (hour % 12) + (/^p/i.test(s[7]) ? 12 : 0);
    if (month < 0 || hour > 23) return undefined;
    const d = new Date(`${s[3]}-${pad(month + 1)}-${pad(Number(s[2]))}T${pad(hour)}:${s[5]}:${s[6]}Z`);
    return Number.isNaN(d.getTime()) ? undefined : { at: d.toISOString(), zone: 'unknown', logged: asWritten(s[0]) };
  }
  const i = ISO_DATE.exec(text);
  if (!i) return undefined;
  const offset = i[7] ? `${i[7]}${i[8]}:${i[9]}` : text.includes('Z') ? 'Z' : undefined;
  const d = new Date(`${i[1]}-${i[2]}-${i[3]}T${i[4]}:${i[5]}:${i[6]}${offset ?? 'Z'}`);
  if (Number.isNaN(d.getTime())) return undefined;
  const zone = offset === undefined ? 'unknown' : offset === 'Z' || /^[+-]00:00$/.test(offset) ? undefined : offset;
  return { at: d.toISOString(), ...(zone ? { zone } : {}), logged: asWritten(i[0]) };
}

interface Channel {
  channel: string;
  environment: string;
  last?: { at: string; zone?: string; logged: string; line: number };
  topic?: string;
}

export const apsctlStatusReader: LineReader = {
  id: 'text.apsctl_status',
  kind: 'lines',
  accepts: (name, head, item) => isPushText(name, head, item) && head.toString('utf8').includes('application port name:'),
  open(item: Item) {
    const channels: Channel[] = [];
    let current: Channel | undefined;
    return {
      line(raw, n) {
        if (raw.length > 512) return;
        const port = PORT.exec(raw);
        if (port) {
          current = { channel: port[1] === 'daemon' ? 'device' : 'user', environment: port[2]! };
          channels.push(current);
          return;
        }
        if (OTHER_PORT.test(raw)) {
          current = undefined;
          return;
        }
        if (!current) return;
        const topic = LAST_TOPIC.exec(raw);
        if (topic) {
          current.topic = topic[1];
          return;
        }
        const last = LAST_PUSH.exec(raw);
        if (last && !current.last) {
          const t = apsctlTime(last[1]!.trim());
          if (t) current.last = { ...t, line: n };
        }
      },
      end() {
        const facts: Fact[] = [];
        for (const c of channels) {
          if (!c.last) continue;
          facts.push({
            name: 'device.log.push_received',
            value: c.last.at,
            at: c.last.at,
            source: sourceOf(item, c.last.line),
            attrs: {
              from: 'apsctl status',
              channel: c.channel,
              environment: c.environment,
              ...(c.topic ? { topic: c.topic } : {}),
              ...(c.last.zone ? { zone: c.last.zone } : {}),
              logged_at: c.last.logged,
            },
          });
        }
        return { facts, problems: [] };
      },
    };
  },
};
