import { parseLogLine } from '../text/lineFormat.js';
import { mayMatter, observe } from '../text/messages.js';
import { checkValue, type ValueKind } from './values.js';

/**
 * Reads topic, PushMagic, push token and LastPushTokenHash out of what a
 * support engineer pastes: `key=value`, `key: value`, prose ("the server
 * uses topic …"), and the output of the commands the MDM document gives
 * (plutil -p | grep Topic / PushMagic, PlistBuddy … | xxd -l 32 -ps -c 32).
 * Each value gets a side: the server's, the device's, or unclear.
 */

export type Side = 'server' | 'device' | 'unclear';

export interface PastedValue {
  kind: ValueKind;
  side: Side;
  value: string;
  line: number;
  /** How it was written, for provenance: "key=value", "plutil -p", "PlistBuddy | xxd", "bare". */
  form: string;
}

export interface PasteIssue {
  line: number;
  /** The key as the user wrote it, e.g. "token=" or "--token". */
  key: string;
  why: string;
}

const SERVER_WORDS = /\bserver(?:'s)?\b|\bsrv\b|\bdb\b|database|\bour (?:records?|side)\b|\bwe (?:push|send|use)\b|--(?:topic|magic|token)\b|\bnanomdm\b|\bmicromdm\b|\bprovider\b/i;
// "device token" is APNs' word for a push token, not a side: it is removed before this test.
const DEVICE_WORDS = /\bdevice(?:'s)?\b|\bon the (?:iphone|ipad|mac)\b|\bsysdiagnose\b|MDM[ .]plist|\bstub\b|\bplutil\b|PlistBuddy|\bLastPushTokenHash\b/i;

function sideOf(label: string): Side {
  const l = label.replace(/[_.]/g, ' ').replace(/\bdevice[ -]?tokens?\b|\bdevicetoken\b/gi, ' ');
  const server = SERVER_WORDS.test(l);
  const device = DEVICE_WORDS.test(l);
  if (server && !device) return 'server';
  if (device && !server) return 'device';
  return 'unclear';
}

// A key people write, with an optional side glued to it (server_magic, device-topic, --token).
const RE_KEY =
  /(?:^|[^\w-])((?:--)?(?:(?:server|srv|device|db)(?:'s)?[ _.-]?)?(?:last[ _-]?push[ _-]?token[ _-]?hash|(?:push[ _-]?)?token[ _-]?(?:hash|sha-?256)|push[ _-]?magic|magic(?:[ _-]?string)?|(?:push[ _-]?|device[ _-]?|apns[ _-]?)?token|(?:push[ _-]?)?topic))["']?\s*(=>|=|:|\bis\b|\s)\s*/gi;

function kindOfKey(key: string): ValueKind {
  const k = key.toLowerCase();
  if (/hash|sha/.test(k)) return 'token_hash';
  if (k.includes('magic')) return 'magic';
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
const RE_PLAUSIBLE = /topic|magic|token|hash|plutil|plistbuddy|xxd|server|device|^[\s<]*[0-9a-f]{8}|com\.apple\.mgmt/i;

interface Context {
  /** Side of the current section (a "Server:" or "On the device:" heading). */
  section: Side;
  /** A device command was run (plutil, PlistBuddy, xxd): its output follows, until a blank line. */
  command: boolean;
  /** What that command prints, for bare output lines. */
  expect?: ValueKind;
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

const KEY_NAMES: Record<string, ValueKind> = { topic: 'topic', pushmagic: 'magic', lastpushtokenhash: 'token_hash', token: 'token', pushtoken: 'token', devicetoken: 'token' };

export function parsePaste(text: string): { values: PastedValue[]; issues: PasteIssue[] } {
  const values: PastedValue[] = [];
  const issues: PasteIssue[] = [];
  const ctx: Context = { section: 'unclear', command: false };
  const lines = text.split(/\r?\n/);

  const flushHex = () => {
    if (!ctx.hex) return;
    const { text: hex, line } = ctx.hex;
    ctx.hex = undefined;
    const kind: ValueKind = ctx.expect === 'token_hash' ? 'token_hash' : 'token';
    const c = checkValue(kind, hex);
    if (c.ok) values.push({ kind, side: kind === 'token_hash' ? 'device' : ctx.section, value: c.value, line, form: ctx.expect === 'token_hash' ? 'PlistBuddy | xxd' : 'bare' });
    else if (ctx.expect === 'token_hash') issues.push({ line, key: 'LastPushTokenHash output', why: c.why });
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
    if (!RE_PLAUSIBLE.test(line)) return;
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
        pushChecked(kind, side, data[2], n, form, `"${pl[1]}" =>`);
        return;
      }
      pushChecked(kind, side, pl[2], n, form, form === 'plutil -p' ? `"${pl[1]}" =>` : `${pl[1]}=`);
      return;
    }

    // Bare values after a device command (PlistBuddy prints just the value).
    if (ctx.expect && !/\s/.test(line)) {
      const c = checkValue(ctx.expect, line);
      if (c.ok) {
        values.push({ kind: ctx.expect, side: 'device', value: c.value, line: n, form: 'PlistBuddy' });
        return;
      }
    }
    if (RE_MGMT_TOPIC.test(line)) {
      values.push({ kind: 'topic', side: sideNow(ctx), value: line, line: n, form: 'bare' });
      return;
    }

    // key=value, key: value, "the server uses topic …"; several on one line.
    const hits = [...line.matchAll(RE_KEY)];
    hits.forEach((h, j) => {
      const keyStart = h.index! + h[0].indexOf(h[1]);
      const valueStart = h.index! + h[0].length;
      const valueEnd = j + 1 < hits.length ? hits[j + 1].index! : line.length;
      const prevEnd = j > 0 ? hits[j - 1].index! + hits[j - 1][0].length : 0;
      const key = h[1];
      const sep = h[2];
      const explicit = sep === '=' || sep === ':' || sep === '=>';
      const kind = kindOfKey(key);
      let raw = line.slice(valueStart, valueEnd).trim();
      // Topic and magic are one word; a token may be spaced hex or <…>.
      if (kind === 'topic' || kind === 'magic') raw = raw.split(/\s+/)[0] ?? '';
      else if (!explicit) raw = /^<[^>]*>/.exec(raw)?.[0] ?? raw.split(/\s+/)[0] ?? '';
      const labelText = `${line.slice(prevEnd, keyStart)} ${key}`;
      // A pushcheck flag is the server's value by definition, whatever else the command line names.
      let side: Side = key.startsWith('--') ? 'server' : kind === 'token_hash' && /last/i.test(key) ? 'device' : sideOf(labelText);
      if (side === 'unclear' && j === 0 && hits.length === 1) side = sideOf(line.slice(valueEnd));
      if (side === 'unclear') side = sideNow(ctx);
      const c = checkValue(kind, raw);
      if (c.ok) values.push({ kind, side, value: c.value, line: n, form: explicit ? `key${sep}value` : 'prose' });
      else if (explicit) issues.push({ line: n, key: `${key}${sep}`, why: c.why });
    });
    // "the server uses com.apple.mgmt.External.…": an MDM topic needs no key to be recognised.
    if (!hits.length) {
      const t = /\bcom\.apple\.mgmt\.[\w.-]*[\w-]/.exec(line);
      if (t) {
        const side = sideOf(line.replace(t[0], ' '));
        values.push({ kind: 'topic', side: side === 'unclear' ? sideNow(ctx) : side, value: t[0], line: n, form: 'prose' });
      }
    }
  });
  flushHex();
  return { values, issues };

  function pushChecked(kind: ValueKind, side: Side, raw: string, n: number, form: string, key: string): void {
    const c = checkValue(kind, raw);
    if (c.ok) values.push({ kind, side, value: c.value, line: n, form });
    else issues.push({ line: n, key, why: c.why });
  }
}
