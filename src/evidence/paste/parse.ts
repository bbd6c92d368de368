import { parseLogLine } from '../text/lineFormat.js';
import { mayMatter, observe } from '../text/messages.js';
import { sideOf, type Side } from './side.js';
import { checkValue, type ValueKind } from './values.js';
import { afterKey, kindOfKey, RE_KEY, tidy, wordValue } from './valueWords.js';

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

// Lines that are a command someone ran on a sysdiagnose: their output follows.
const RE_DEVICE_COMMAND = /(?:^|[\s|;$%>])(?:plutil|\/usr\/libexec\/PlistBuddy|PlistBuddy|xxd|defaults read)\b/;
const RE_SECTION =
  /^(?:#+\s*|\*\*)?(?:(?:on|from|in) the |the )?(server|mdm server|device|sysdiagnose|iphone|ipad|mac)(?:'s)?(?: side| values?| records?| database)?(?:\*\*)?\s*:?\s*$/i;
const RE_PLUTIL = /^"(\w+)"\s*=>\s*(.*)$/;
const RE_PLUTIL_DATA = /^\{length = (\d+), bytes = 0x([0-9a-f\s.]+)\}$/;
const RE_ASSIGN = /^"?(\w+)"?\s*=\s*(.*?);?$/; // PlistBuddy dict output, NSDictionary description
const RE_HEXISH = /^<?[0-9a-fA-F][0-9a-fA-F\s:]*>?$/;
const RE_MGMT_TOPIC = /^com\.apple\.mgmt\.[\w.-]+$/;
const RE_PLAUSIBLE =
  /topic|magic|token|hash|udid|apns|apsp|plutil|plistbuddy|xxd|server|device|^[\s<]*[0-9a-f]{8}|com\.apple\.mgmt|\bmdm\b|\bdb\b|database|on file|\bour\b/i;
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

const KEY_NAMES: Record<string, ValueKind> = {
  topic: 'topic',
  pushmagic: 'magic',
  lastpushtokenhash: 'token_hash',
  token: 'token',
  pushtoken: 'token',
  devicetoken: 'token',
  udid: 'udid',
};

export function parsePaste(text: string): { values: PastedValue[]; issues: PasteIssue[] } {
  const parser = new PasteParser();
  text.split(/\r?\n/).forEach((line, i) => parser.line(line, i + 1));
  return parser.end();
}

/** One keyed value found on a line, before its side is settled. */
interface KeyedValue {
  kind: PastedKind;
  raw: string;
  /** The words before the key and the key itself, which may name a side. */
  label: string;
  key: string;
  explicit: boolean;
  sep: string;
}

/**
 * Reads a paste line by line. Each form a value comes in is a step of its own;
 * the first step that recognises the line takes it.
 */
class PasteParser {
  private readonly values: PastedValue[] = [];
  private readonly issues: PasteIssue[] = [];
  private readonly ctx: Context = { section: 'unclear', command: false };

  line(rawLine: string, n: number): void {
    if (rawLine.length > 4096) return; // a log line or a blob, not a value someone typed
    const line = tidy(rawLine);
    if (!line || /^`{3}/.test(line)) return this.blank(line);
    if (this.hexLine(line, n)) return;
    this.flushHex();
    if (!RE_PLAUSIBLE.test(line) && !this.ctx.expect) return;
    // Log lines belong to the device log reader, even a bare message ("… for device token: <private>").
    if (parseLogLine(rawLine) || (mayMatter(line) && observe({ format: 'bare', message: line }).length)) return;
    if (this.sectionOrCommand(line)) return;
    if (this.plutilValue(line, n)) return;
    if (this.expectedValue(line, n)) return;
    if (RE_MGMT_TOPIC.test(line)) {
      this.take('topic', this.sideNow(), line, n, 'bare');
      return;
    }
    if (this.certificateSubject(line, n)) return;
    if (this.keyedValues(line, n)) return;
    if (this.proseTopic(line, n)) return;
    this.header(line);
  }

  end(): { values: PastedValue[]; issues: PasteIssue[] } {
    this.flushHex();
    return { values: this.values, issues: this.issues };
  }

  private sideNow(): Side {
    return this.ctx.command ? 'device' : this.ctx.section;
  }

  /** Judges a value and keeps it (usable, masked or garbled); says so when an explicit key's value is not one. */
  private take(
    kind: PastedKind,
    side: Side,
    raw: string,
    line: number,
    form: string,
    opts: { key?: string; explicit?: boolean; role?: PastedValue['role'] } = {},
  ): boolean {
    if (kind === 'apns_id') {
      const id = raw.replace(/^[`'"<]+|[`'">,;.)]+$/g, '');
      if (!/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(id)) return false;
      this.values.push({ kind, side: 'unclear', value: id.toLowerCase(), line, form, state: 'ok' });
      return true;
    }
    const c = checkValue(kind, raw);
    const role = opts.role ? { role: opts.role } : {};
    if (c.ok) {
      this.values.push({ kind, side, value: c.value, line, form, state: 'ok', ...role });
      return true;
    }
    if (c.state !== 'invalid') this.values.push({ kind, side, value: raw.trim(), line, form, state: c.state, why: c.why, ...role });
    if (opts.explicit && opts.key) this.issues.push({ line, key: opts.key, why: c.why });
    return c.state !== 'invalid';
  }

  /** A blank line ends a command's output; a code fence only ends a run of hex lines. */
  private blank(line: string): void {
    this.flushHex();
    if (line) return;
    this.ctx.command = false;
    this.ctx.expect = undefined;
    this.ctx.expectSide = undefined;
  }

  /** Output of xxd / a token on its own line, joined with the lines it wraps onto. */
  private hexLine(line: string, n: number): boolean {
    if (!RE_HEXISH.test(line) || line.replace(/[^0-9a-fA-F]/g, '').length < 4) return false;
    const ctx = this.ctx;
    const digits = line.replace(/[<>\s:]/g, '');
    ctx.hex = ctx.hex ? { text: ctx.hex.text + digits, line: ctx.hex.line } : { text: digits, line: n };
    if (ctx.hex.text.length >= 64 || !ctx.expect) this.flushHex();
    return true;
  }

  private flushHex(): void {
    const ctx = this.ctx;
    if (!ctx.hex) return;
    const { text: hex, line } = ctx.hex;
    ctx.hex = undefined;
    const expect = ctx.expect === 'token_hash' || ctx.expect === 'token' ? ctx.expect : undefined;
    const kind: ValueKind = expect ?? 'token';
    const c = checkValue(kind, hex);
    const side = kind === 'token_hash' ? 'device' : (ctx.expectSide ?? ctx.section);
    const form = ctx.expect === 'token_hash' && ctx.command ? 'PlistBuddy | xxd' : 'bare';
    if (c.ok) this.values.push({ kind, side, value: c.value, line, form, state: 'ok' });
    else if (expect) {
      if (c.state !== 'invalid') this.values.push({ kind, side, value: hex, line, form, state: c.state, why: c.why });
      this.issues.push({ line, key: kind === 'token_hash' ? 'LastPushTokenHash output' : 'the token line', why: c.why });
    }
  }

  /** A "Server:" heading, or a command run on a sysdiagnose whose output follows. */
  private sectionOrCommand(line: string): boolean {
    const ctx = this.ctx;
    const section = RE_SECTION.exec(line);
    if (section) {
      ctx.section = /server/i.test(section[1]) ? 'server' : 'device';
      ctx.command = false;
      ctx.expect = undefined;
      return true;
    }
    if (RE_DEVICE_COMMAND.test(line) && !/pushcheck/.test(line)) {
      ctx.command = true;
      ctx.expect = /LastPushTokenHash/i.test(line) ? 'token_hash' : /PushMagic/i.test(line) ? 'magic' : /Topic/i.test(line) ? 'topic' : undefined;
      ctx.expectSide = undefined;
      return true;
    }
    return false;
  }

  /** plutil -p: "Topic" => "com.apple.mgmt.External.…", and PlistBuddy's Topic = … */
  private plutilValue(line: string, n: number): boolean {
    const pl = RE_PLUTIL.exec(line) ?? (line.indexOf('=') === line.lastIndexOf('=') ? RE_ASSIGN.exec(line) : null);
    if (!pl || !KEY_NAMES[pl[1].toLowerCase()]) return false;
    const form = line.includes('=>') ? 'plutil -p' : 'key = value';
    const kind = KEY_NAMES[pl[1].toLowerCase()];
    const side: Side = kind === 'token_hash' ? 'device' : kind === 'token' ? 'unclear' : form === 'plutil -p' ? 'device' : this.sideNow();
    const data = RE_PLUTIL_DATA.exec(pl[2].trim().replace(/;$/, ''));
    if (!data) {
      this.take(kind, side, pl[2], n, form, { key: form === 'plutil -p' ? `"${pl[1]}" =>` : `${pl[1]}=`, explicit: true });
      return true;
    }
    if (data[2].includes('...')) {
      this.issues.push({
        line: n,
        key: `"${pl[1]}" =>`,
        why: 'is shortened by plutil -p (it prints "..." in the middle of long data); print it with PlistBuddy … | xxd -l 32 -ps -c 32 instead',
      });
      return true;
    }
    this.take(kind, side, data[2], n, form, { key: `"${pl[1]}" =>`, explicit: true });
    return true;
  }

  /** A bare value under a command (PlistBuddy prints just the value) or under "PushMagic from nanomdm:". */
  private expectedValue(line: string, n: number): boolean {
    const ctx = this.ctx;
    if (!ctx.expect || /\s/.test(line.replace(/\s*(?:…|\.{3})$/, ''))) return false;
    const expect = ctx.expect;
    const side = expect === 'token_hash' ? 'device' : ctx.command ? 'device' : (ctx.expectSide ?? ctx.section);
    ctx.expect = ctx.command ? ctx.expect : undefined;
    return this.take(expect, side, line, n, ctx.command ? 'PlistBuddy' : 'key: value', { key: 'the line before', explicit: !ctx.command });
  }

  /** A push certificate's subject: its UID is the MDM topic, APSP:<uuid> names the same UUID. */
  private certificateSubject(line: string, n: number): boolean {
    const uid = RE_SUBJECT_UID.exec(line);
    const apsp = RE_APSP.exec(line);
    if (!uid && !apsp) return false;
    const topic = uid ? uid[1] : `com.apple.mgmt.External.${apsp![1]}`;
    this.take('topic', 'server', topic, n, 'certificate subject', { role: 'certificate' });
    return true;
  }

  /** key=value, key: value, "the server uses topic …", "token from the DB: …"; several on one line. */
  private keyedValues(line: string, n: number): boolean {
    const hits = [...line.matchAll(RE_KEY)].filter((h) => !(/^(?:udid|apns[ _-]?id)$/i.test(h[1]) && RE_LOGFMT.test(line)));
    const found = this.valuesAfterKeys(line, hits);
    if (!found.length) return hits.length > 0;
    // Words anywhere on the line ("server:", "from our MDM DB") give every value on it a side.
    let rest = line;
    for (const f of found) if (f.raw) rest = rest.split(f.raw).join(' ');
    const lineSide = sideOf(rest);
    for (const f of found) {
      const role = f.kind === 'topic' && /\benroll|devices? (?:still )?use\b/i.test(f.label) ? ('enrolled' as const) : undefined;
      let side: Side = f.key.startsWith('--') ? 'server' : f.kind === 'token_hash' && /last/i.test(f.key) ? 'device' : sideOf(f.label);
      if (side === 'unclear') side = lineSide;
      if (side === 'unclear') side = this.sideNow();
      if (!f.raw) {
        if (f.explicit) this.issues.push({ line: n, key: f.key, why: 'is empty' });
        continue;
      }
      this.take(f.kind, side, f.raw, n, f.explicit ? `key${f.sep}value` : 'prose', { key: f.key, explicit: f.explicit, ...(role ? { role } : {}) });
    }
    return true;
  }

  /** The value after each key, up to the next key; a key ending its line announces the value on the next one. */
  private valuesAfterKeys(line: string, hits: RegExpExecArray[]): KeyedValue[] {
    const found: KeyedValue[] = [];
    hits.forEach((h, j) => {
      const keyStart = h.index + h[0].indexOf(h[1]);
      const keyEnd = keyStart + h[1].length;
      const segEnd = j + 1 < hits.length ? hits[j + 1].index : line.length;
      const prevEnd = j > 0 ? hits[j - 1].index + hits[j - 1][0].length : 0;
      const kind = kindOfKey(h[1]);
      const a = afterKey(line.slice(keyEnd, segEnd));
      const raw = wordValue(kind, a.rest);
      const label = `${line.slice(prevEnd, keyStart)} ${h[1]} ${a.filler}`;
      if (!raw && a.explicit && j === hits.length - 1) {
        if (kind !== 'apns_id') {
          this.ctx.expect = kind;
          this.ctx.expectSide = sideOf(label);
          if (this.ctx.expectSide === 'unclear') this.ctx.expectSide = undefined;
        }
        return;
      }
      found.push({ kind, raw: raw.trim(), label, key: `${h[1]}${a.filler}${a.sep === ' ' ? '' : a.sep}`, explicit: a.explicit, sep: a.sep });
    });
    return found;
  }

  /** "the server uses com.apple.mgmt.External.…": an MDM topic needs no key to be recognised. */
  private proseTopic(line: string, n: number): boolean {
    const t = /\bcom\.apple\.mgmt\b/i.exec(line);
    if (!t) return false;
    const raw = wordValue('topic', line.slice(t.index)).replace(/[,;:)\]"'`]+$/, '');
    const side = sideOf(line.replace(raw, ' '));
    const role = /\benroll|devices? (?:still )?use\b/i.test(line) ? ('enrolled' as const) : undefined;
    this.take('topic', side === 'unclear' ? this.sideNow() : side, raw, n, 'prose', role ? { role } : {});
    return true;
  }

  /** "server values (from our MDM DB):", "MDM says:": a header whose side the lines under it share. */
  private header(line: string): void {
    if (!/:\s*$/.test(line) || line.length > 80) return;
    const side = sideOf(line);
    if (side === 'unclear') return;
    this.ctx.section = side;
    this.ctx.command = false;
    this.ctx.expect = undefined;
  }
}
