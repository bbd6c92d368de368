import { parseLogLine } from '../text/lineFormat.js';
import { mayMatter, observe } from '../text/messages.js';
import { sideOf, type Side } from './side.js';
import { checkValue, type ValueKind } from './values.js';

/**
 * Reads topic, PushMagic, push token, LastPushTokenHash, UDID and apns-id out
 * of what a support engineer pastes: `key=value`, `key: value`, Slack prose
 * ("server says topic is X, magic Y", "token from the DB: …"), headers over
 * lines of values ("MDM says:"), certificate subjects (APSP:<uuid>), and the
 * output of the commands the MDM document gives (plutil -p | grep Topic /
 * PushMagic, PlistBuddy … | xxd -l 32 -ps -c 32). Each value gets a side:
 * the server's, the device's, or unclear. Masked and garbled values are kept
 * as such (state), so that they are named and never compared.
 */

export type { Side } from './side.js';

export type PastedKind = ValueKind | 'apns_id';

export interface PastedValue {
  kind: PastedKind;
  side: Side;
  /** The normalised value, or for masked / garbled ones the text as pasted. */
  value: string;
  line: number;
  /** How it was written, for provenance: "key=value", "plutil -p", "PlistBuddy | xxd", "bare", "prose", "certificate subject". */
  form: string;
  /** What a topic is: the one a push certificate carries, or the one devices enrolled with. */
  role?: 'certificate' | 'enrolled';
  state: 'ok' | 'masked' | 'garbled';
  /** Why a masked or garbled value cannot be used. */
  why?: string;
}

export interface PasteIssue {
  line: number;
  /** The key as the user wrote it, e.g. "token=" or "--token". */
  key: string;
  why: string;
}

// A key people write, with an optional side glued to it (server_magic, device-topic, --token).
const RE_KEY =
  /(?:^|[^\w-])((?:--)?(?:(?:server|srv|device|db)(?:'s)?[ _.-]?)?(?:last[ _-]?push[ _-]?token[ _-]?hash|(?:push[ _-]?)?token[ _-]?(?:hash|sha-?256)|push[ _-]?magic|magic(?:[ _-]?string)?|(?:push[ _-]?|device[ _-]?|apns[ _-]?)?token|(?:push[ _-]?)?topic|udid|apns[ _-]?id))(?![\w-])/gi;

function kindOfKey(key: string): PastedKind {
  const k = key.toLowerCase();
  if (/hash|sha/.test(k)) return 'token_hash';
  if (k.includes('magic')) return 'magic';
  if (/apns[ _-]?id/.test(k)) return 'apns_id';
  if (k.includes('udid')) return 'udid';
  if (k.includes('token')) return 'token';
  return 'topic';
}

// Lines that are a command someone ran on a sysdiagnose: their output follows.
const RE_DEVICE_COMMAND = /(?:^|[\s|;$%>])(?:plutil|\/usr\/libexec\/PlistBuddy|PlistBuddy|xxd|defaults read)\b/;
const RE_SECTION = /^(?:#+\s*|\*\*)?(?:(?:on|from|in) the |the )?(server|mdm server|device|sysdiagnose|iphone|ipad|mac)(?:'s)?(?: side| values?| records?| database)?(?:\*\*)?\s*:?\s*$/i;
const RE_PLUTIL = /^"(\w+)"\s*=>\s*(.*)$/;
const RE_PLUTIL_DATA = /^\{length = (\d+), bytes = 0x([0-9a-f\s.]+)\}$/;
const RE_ASSIGN = /^"?(\w+)"?\s*=\s*(.*?);?$/; // PlistBuddy dict output, NSDictionary description
const RE_HEXISH = /^<?[0-9a-fA-F][0-9a-fA-F\s:]*>?$/;
const RE_MGMT_TOPIC = /^com\.apple\.mgmt\.[\w.-]+$/;
const RE_PLAUSIBLE = /topic|magic|token|hash|udid|apns|apsp|plutil|plistbuddy|xxd|server|device|^[\s<]*[0-9a-f]{8}|com\.apple\.mgmt|\bmdm\b|\bdb\b|database|on file|\bour\b/i;
/** A server's structured log line: its udid= and id= belong to the server-log reader. */
const RE_LOGFMT = /\b(?:level|ts|msg|component|service|caller)=|(?:\b\w+=\S+\s+){3}/;
/** A certificate subject: openssl's "UID = com.apple.mgmt…, CN = APSP:<uuid>" or its /UID=…/CN=… form. */
const RE_SUBJECT_UID = /(?:^|[\s/,])UID\s*=\s*(com\.apple\.mgmt\.[^\s,/]+)/;
const RE_APSP = /\bAPSP:\s*([0-9A-Za-z][0-9A-Za-z-]*(?:…|\.{3})?)/;

interface Context {
  /** Side of the current section (a "Server:" or "MDM says:" heading). */
  section: Side;
  /** A device command was run (plutil, PlistBuddy, xxd): its output follows, until a blank line. */
  command: boolean;
  /** What that command (or a "PushMagic from nanomdm:" line) prints, for bare output lines. */
  expect?: ValueKind;
  /** Side of a value announced on the line before ("token from the DB:" then the token). */
  expectSide?: Side;
  /** Hex lines waiting to be joined (xxd -p without -c 32 wraps at 60 digits). */
  hex?: { text: string; line: number };
}
const sideNow = (ctx: Context): Side => (ctx.command ? 'device' : ctx.section);

/** Cleans the things chat and terminals put around a line. */
function tidy(line: string): string {
  return line
    .replace(/^\s*(?:>\s*)+/, '')
    .replace(/^\s*(?:[-*•]\s+)/, '')
    .replace(/^`+|`+$/g, '')
    .trim();
}

const KEY_NAMES: Record<string, ValueKind> = { topic: 'topic', pushmagic: 'magic', lastpushtokenhash: 'token_hash', token: 'token', pushtoken: 'token', devicetoken: 'token', udid: 'udid' };

const ELLIPSIS = /^\s*(?:…|\.{3})/;

/**
 * The value a key announces, from the text after the key (up to the next
 * key): after "=", ":" or "=>"; after a few words and one of those ("token
 * from the DB: …", "PushMagic from nanomdm: …"); after "is", "shows"… ("the
 * token we have on file is …"); or simply the next word ("server topic X").
 */
function afterKey(seg: string): { rest: string; explicit: boolean; filler: string; sep: string } {
  let m = /^\s*["']?\s*(=>|=|:)\s*/.exec(seg);
  if (m) return { rest: seg.slice(m[0].length), explicit: true, filler: '', sep: m[1] };
  m = /^((?:\s+[A-Za-z][A-Za-z'()-]*){1,6}?)\s*(=>|=|:)\s*/.exec(seg);
  if (m) return { rest: seg.slice(m[0].length), explicit: true, filler: m[1], sep: m[2] };
  m = /^((?:\s+[A-Za-z][A-Za-z'()-]*){0,6}?)\s+(is|are|was|shows?|reads?|says?)\s+/i.exec(seg);
  if (m) return { rest: seg.slice(m[0].length), explicit: false, filler: m[1], sep: m[2] };
  return { rest: seg, explicit: false, filler: '', sep: ' ' };
}

/**
 * The first word of `rest` as a value of `kind`, joined with what a stray
 * space or an ellipsis cut off from it ("com.apple.mgmt .External.…",
 * "0B9D6E24-C3F1 -4A78-…", "c0ffee00 …"), so that the value is seen whole
 * and judged garbled or masked rather than read as a shorter real value.
 */
function wordValue(kind: PastedKind, rest: string): string {
  const t = rest.replace(/^\s+/, '');
  if (kind === 'token' || kind === 'token_hash') {
    // <…> as NSData prints it, hex in spaced groups as people copy it, else one word (hex or base64).
    const m = /^<[^>]*>/.exec(t) ?? /^(?:[0-9A-Fa-f]{2,8}[ :](?=[0-9A-Fa-f]{2}))+[0-9A-Fa-f]{2,8}(?![\w+/])/.exec(t);
    let v = m ? m[0] : (t.split(/\s+/)[0] ?? '');
    const after = t.slice(v.length);
    if (ELLIPSIS.test(after)) v += '…';
    return v.trim();
  }
  const first = t.split(/\s+/)[0] ?? '';
  const after = t.slice(first.length);
  if (ELLIPSIS.test(after)) return `${first}…`;
  const next = /^\s+(\S+)/.exec(after)?.[1];
  if (!next) return first;
  const bare = (s: string) => s.replace(/[,;)\]"'`]+$/, '');
  if (kind === 'topic' && /^\.?[A-Za-z0-9][\w.-]*$/.test(bare(next))) {
    const cut = first.endsWith('.') || next.startsWith('.') || /^com\.apple\.mgmt(?:\.external)?$/i.test(first);
    if (cut && /\./.test(first)) return `${first} ${bare(next)}`;
  }
  if (kind === 'magic' && /^-?[0-9A-Fa-f][0-9A-Fa-f-]*$/.test(bare(next)) && /^[0-9A-Fa-f-]+$/.test(first)) {
    const joined = first + bare(next);
    if (first.endsWith('-') || next.startsWith('-') || (/^[0-9A-Fa-f]{8}-/.test(first) && joined.length >= 30 && first.length < 36)) return `${first} ${bare(next)}`;
  }
  return first;
}

export function parsePaste(text: string): { values: PastedValue[]; issues: PasteIssue[] } {
  const values: PastedValue[] = [];
  const issues: PasteIssue[] = [];
  const ctx: Context = { section: 'unclear', command: false };
  const lines = text.split(/\r?\n/);

  /** Judges a value and keeps it (usable, masked or garbled); says so when an explicit key's value is not one. */
  const take = (kind: PastedKind, side: Side, raw: string, line: number, form: string, opts: { key?: string; explicit?: boolean; role?: PastedValue['role'] } = {}): boolean => {
    if (kind === 'apns_id') {
      const id = raw.replace(/^[`'"<]+|[`'">,;.)]+$/g, '');
      if (!/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(id)) return false;
      values.push({ kind, side: 'unclear', value: id.toLowerCase(), line, form, state: 'ok' });
      return true;
    }
    const c = checkValue(kind, raw);
    const role = opts.role ? { role: opts.role } : {};
    if (c.ok) {
      values.push({ kind, side, value: c.value, line, form, state: 'ok', ...role });
      return true;
    }
    if (c.state !== 'invalid') values.push({ kind, side, value: raw.trim(), line, form, state: c.state, why: c.why, ...role });
    if (opts.explicit && opts.key) issues.push({ line, key: opts.key, why: c.why });
    return c.state !== 'invalid';
  };

  const flushHex = () => {
    if (!ctx.hex) return;
    const { text: hex, line } = ctx.hex;
    ctx.hex = undefined;
    const expect = ctx.expect === 'token_hash' || ctx.expect === 'token' ? ctx.expect : undefined;
    const kind: ValueKind = expect ?? 'token';
    const c = checkValue(kind, hex);
    const side = kind === 'token_hash' ? 'device' : (ctx.expectSide ?? ctx.section);
    const form = ctx.expect === 'token_hash' && ctx.command ? 'PlistBuddy | xxd' : 'bare';
    if (c.ok) values.push({ kind, side, value: c.value, line, form, state: 'ok' });
    else if (expect) {
      if (c.state !== 'invalid') values.push({ kind, side, value: hex, line, form, state: c.state, why: c.why });
      issues.push({ line, key: kind === 'token_hash' ? 'LastPushTokenHash output' : 'the token line', why: c.why });
    }
  };

  lines.forEach((rawLine, i) => {
    const n = i + 1;
    if (rawLine.length > 4096) return; // a log line or a blob, not a value someone typed
    const line = tidy(rawLine);
    if (!line || /^`{3}/.test(line)) {
      flushHex();
      if (!line) {
        ctx.command = false;
        ctx.expect = undefined;
        ctx.expectSide = undefined;
      }
      return;
    }
    // Output of xxd / a token on its own line.
    if (RE_HEXISH.test(line) && line.replace(/[^0-9a-fA-F]/g, '').length >= 4) {
      const digits = line.replace(/[<>\s:]/g, '');
      ctx.hex = ctx.hex ? { text: ctx.hex.text + digits, line: ctx.hex.line } : { text: digits, line: n };
      if (ctx.hex.text.length >= 64 || !ctx.expect) flushHex();
      return;
    }
    flushHex();
    if (!RE_PLAUSIBLE.test(line) && !ctx.expect) return;
    // Log lines belong to the device log reader, even a bare message ("… for device token: <private>").
    if (parseLogLine(rawLine) || (mayMatter(line) && observe({ format: 'bare', message: line }).length)) return;

    const section = RE_SECTION.exec(line);
    if (section) {
      ctx.section = /server/i.test(section[1]) ? 'server' : 'device';
      ctx.command = false;
      ctx.expect = undefined;
      return;
    }
    if (RE_DEVICE_COMMAND.test(line) && !/pushcheck/.test(line)) {
      ctx.command = true;
      ctx.expect = /LastPushTokenHash/i.test(line) ? 'token_hash' : /PushMagic/i.test(line) ? 'magic' : /Topic/i.test(line) ? 'topic' : undefined;
      ctx.expectSide = undefined;
      return;
    }

    // plutil -p: "Topic" => "com.apple.mgmt.External.…"
    const pl = RE_PLUTIL.exec(line) ?? (line.indexOf('=') === line.lastIndexOf('=') ? RE_ASSIGN.exec(line) : null);
    if (pl && KEY_NAMES[pl[1].toLowerCase()]) {
      const form = line.includes('=>') ? 'plutil -p' : 'key = value';
      const kind = KEY_NAMES[pl[1].toLowerCase()];
      const side: Side = kind === 'token_hash' ? 'device' : kind === 'token' ? 'unclear' : form === 'plutil -p' ? 'device' : sideNow(ctx);
      const data = RE_PLUTIL_DATA.exec(pl[2].trim().replace(/;$/, ''));
      if (data) {
        if (data[2].includes('...')) {
          issues.push({ line: n, key: `"${pl[1]}" =>`, why: 'is shortened by plutil -p (it prints "..." in the middle of long data); print it with PlistBuddy … | xxd -l 32 -ps -c 32 instead' });
          return;
        }
        take(kind, side, data[2], n, form, { key: `"${pl[1]}" =>`, explicit: true });
        return;
      }
      take(kind, side, pl[2], n, form, { key: form === 'plutil -p' ? `"${pl[1]}" =>` : `${pl[1]}=`, explicit: true });
      return;
    }

    // A bare value under a command (PlistBuddy prints just the value) or under "PushMagic from nanomdm:".
    if (ctx.expect && !/\s/.test(line.replace(/\s*(?:…|\.{3})$/, ''))) {
      const expect = ctx.expect;
      const side = expect === 'token_hash' ? 'device' : ctx.command ? 'device' : (ctx.expectSide ?? ctx.section);
      ctx.expect = ctx.command ? ctx.expect : undefined;
      if (take(expect, side, line, n, ctx.command ? 'PlistBuddy' : 'key: value', { key: 'the line before', explicit: !ctx.command })) return;
    }
    if (RE_MGMT_TOPIC.test(line)) {
      take('topic', sideNow(ctx), line, n, 'bare');
      return;
    }

    // A push certificate's subject: its UID is the MDM topic, APSP:<uuid> names the same UUID.
    const uid = RE_SUBJECT_UID.exec(line);
    const apsp = RE_APSP.exec(line);
    if (uid || apsp) {
      const topic = uid ? uid[1] : `com.apple.mgmt.External.${apsp![1]}`;
      take('topic', 'server', topic, n, 'certificate subject', { role: 'certificate' });
      return;
    }

    // key=value, key: value, "the server uses topic …", "token from the DB: …"; several on one line.
    const hits = [...line.matchAll(RE_KEY)].filter((h) => !(/^(?:udid|apns[ _-]?id)$/i.test(h[1]) && RE_LOGFMT.test(line)));
    const found: { kind: PastedKind; raw: string; label: string; key: string; explicit: boolean; sep: string; start: number }[] = [];
    hits.forEach((h, j) => {
      const keyStart = h.index! + h[0].indexOf(h[1]);
      const keyEnd = keyStart + h[1].length;
      const segEnd = j + 1 < hits.length ? hits[j + 1].index! : line.length;
      const prevEnd = j > 0 ? hits[j - 1].index! + hits[j - 1][0].length : 0;
      const kind = kindOfKey(h[1]);
      const a = afterKey(line.slice(keyEnd, segEnd));
      let raw = a.explicit && kind === 'token' ? wordValue(kind, a.rest) : wordValue(kind, a.rest);
      // A key at the end of its line announces the value on the next one.
      if (!raw && a.explicit && j === hits.length - 1) {
        if (kind !== 'apns_id') {
          ctx.expect = kind;
          ctx.expectSide = sideOf(`${line.slice(prevEnd, keyStart)} ${h[1]} ${a.filler}`);
          if (ctx.expectSide === 'unclear') ctx.expectSide = undefined;
        }
        return;
      }
      raw = raw.trim();
      found.push({ kind, raw, label: `${line.slice(prevEnd, keyStart)} ${h[1]} ${a.filler}`, key: `${h[1]}${a.filler}${a.sep === ' ' ? '' : a.sep}`, explicit: a.explicit, sep: a.sep, start: keyStart });
    });
    if (found.length) {
      // Words anywhere on the line ("server:", "from our MDM DB") give every value on it a side.
      let rest = line;
      for (const f of found) if (f.raw) rest = rest.split(f.raw).join(' ');
      const lineSide = sideOf(rest);
      for (const f of found) {
        const role = f.kind === 'topic' && /\benroll|devices? (?:still )?use\b/i.test(f.label) ? ('enrolled' as const) : undefined;
        let side: Side = f.key.startsWith('--') ? 'server' : f.kind === 'token_hash' && /last/i.test(f.key) ? 'device' : sideOf(f.label);
        if (side === 'unclear') side = lineSide;
        if (side === 'unclear') side = sideNow(ctx);
        if (!f.raw) {
          if (f.explicit) issues.push({ line: n, key: f.key, why: 'is empty' });
          continue;
        }
        take(f.kind, side, f.raw, n, f.explicit ? `key${f.sep}value` : 'prose', { key: f.key, explicit: f.explicit, ...(role ? { role } : {}) });
      }
      return;
    }
    if (hits.length) return;
    // "the server uses com.apple.mgmt.External.…": an MDM topic needs no key to be recognised.
    const t = /\bcom\.apple\.mgmt\b/i.exec(line);
    if (t) {
      const raw = wordValue('topic', line.slice(t.index)).replace(/[,;:)\]"'`]+$/, '');
      const side = sideOf(line.replace(raw, ' '));
      const role = /\benroll|devices? (?:still )?use\b/i.test(line) ? ('enrolled' as const) : undefined;
      take('topic', side === 'unclear' ? sideNow(ctx) : side, raw, n, 'prose', role ? { role } : {});
      return;
    }
    // "server values (from our MDM DB):", "MDM says:": a header whose side the lines under it share.
    if (/:\s*$/.test(line) && line.length <= 80) {
      const side = sideOf(line);
      if (side !== 'unclear') {
        ctx.section = side;
        ctx.command = false;
        ctx.expect = undefined;
      }
    }
  });
  flushHex();
  return { values, issues };
}
