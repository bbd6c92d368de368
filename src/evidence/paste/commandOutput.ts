import { checkValue, type ValueKind } from './values.js';
import type { PasteState } from './pasteState.js';
import type { Side } from './side.js';

/**
 * What a support engineer copies from a device or a sysdiagnose: section
 * headings ("Server:", "Device:"), the commands the MDM document gives
 * (plutil -p, PlistBuddy, xxd) and what they print, hex that wraps over
 * several lines, and a bare value under the line that announced it.
 */

// Lines that are a command someone ran on a sysdiagnose: their output follows.
const RE_DEVICE_COMMAND = /(?:^|[\s|;$%>])(?:plutil|\/usr\/libexec\/PlistBuddy|PlistBuddy|xxd|defaults read)\b/;
const RE_SECTION =
  /^(?:#+\s*|\*\*)?(?:(?:on|from|in) the |the )?(server|mdm server|device|sysdiagnose|iphone|ipad|mac)(?:'s)?(?: side| values?| records?| database)?(?:\*\*)?\s*:?\s*$/i;
const RE_PLUTIL = /^"(\w+)"\s*=>\s*(.*)$/;
const RE_PLUTIL_DATA = /^\{length = (\d+), bytes = 0x([0-9a-f\s.]+)\}$/;
const RE_ASSIGN = /^"?(\w+)"?\s*=\s*(.*?);?$/; // PlistBuddy dict output, NSDictionary description
const RE_HEXISH = /^<?[0-9a-fA-F][0-9a-fA-F\s:]*>?$/;

const KEY_NAMES: Record<string, ValueKind> = {
  topic: 'topic',
  pushmagic: 'magic',
  lastpushtokenhash: 'token_hash',
  token: 'token',
  pushtoken: 'token',
  devicetoken: 'token',
  udid: 'udid',
};

/** Output of xxd / a token on its own line, joined with the lines it wraps onto. */
export function hexLine(s: PasteState, line: string, n: number): boolean {
  if (!RE_HEXISH.test(line) || line.replace(/[^0-9a-fA-F]/g, '').length < 4) return false;
  const ctx = s.ctx;
  const digits = line.replace(/[<>\s:]/g, '');
  ctx.hex = ctx.hex ? { text: ctx.hex.text + digits, line: ctx.hex.line } : { text: digits, line: n };
  if (ctx.hex.text.length >= 64 || !ctx.expect) flushHex(s);
  return true;
}

export function flushHex(s: PasteState): void {
  const ctx = s.ctx;
  if (!ctx.hex) return;
  const { text: hex, line } = ctx.hex;
  ctx.hex = undefined;
  const expect = ctx.expect === 'token_hash' || ctx.expect === 'token' ? ctx.expect : undefined;
  const kind: ValueKind = expect ?? 'token';
  const c = checkValue(kind, hex);
  const side = kind === 'token_hash' ? 'device' : (ctx.expectSide ?? ctx.section);
  const form = ctx.expect === 'token_hash' && ctx.command ? 'PlistBuddy | xxd' : 'bare';
  if (c.ok) s.values.push({ kind, side, value: c.value, line, form, state: 'ok' });
  else if (expect) {
    if (c.state !== 'invalid') s.values.push({ kind, side, value: hex, line, form, state: c.state, why: c.why });
    s.issues.push({ line, key: kind === 'token_hash' ? 'LastPushTokenHash output' : 'the token line', why: c.why });
  }
}

/** A "Server:" heading, or a command run on a sysdiagnose whose output follows. */
export function sectionOrCommand(s: PasteState, line: string): boolean {
  const ctx = s.ctx;
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
export function plutilValue(s: PasteState, line: string, n: number): boolean {
  const pl = RE_PLUTIL.exec(line) ?? (line.indexOf('=') === line.lastIndexOf('=') ? RE_ASSIGN.exec(line) : null);
  if (!pl || !KEY_NAMES[pl[1].toLowerCase()]) return false;
  const form = line.includes('=>') ? 'plutil -p' : 'key = value';
  const kind = KEY_NAMES[pl[1].toLowerCase()];
  const side: Side = kind === 'token_hash' ? 'device' : kind === 'token' ? 'unclear' : form === 'plutil -p' ? 'device' : s.sideNow();
  // plutil -p quotes strings and closes data in "}": a value without its end is cut off where the paste ends.
  const raw = pl[2].trim();
  if (form === 'plutil -p' && ((raw.startsWith('"') && (raw.length < 2 || !raw.endsWith('"'))) || (raw.startsWith('{') && !raw.endsWith('}')))) {
    s.issues.push({ line: n, key: `"${pl[1]}" =>`, why: 'is cut off (the paste ends inside it); paste the whole output' });
    return true;
  }
  const data = RE_PLUTIL_DATA.exec(raw.replace(/;$/, ''));
  if (!data) {
    s.take(kind, side, pl[2], n, form, { key: form === 'plutil -p' ? `"${pl[1]}" =>` : `${pl[1]}=`, explicit: true });
    return true;
  }
  if (data[2].includes('...')) {
    s.issues.push({
      line: n,
      key: `"${pl[1]}" =>`,
      why: 'is shortened by plutil -p (it prints "..." in the middle of long data); print it with PlistBuddy … | xxd -l 32 -ps -c 32 instead',
    });
    return true;
  }
  s.take(kind, side, data[2], n, form, { key: `"${pl[1]}" =>`, explicit: true });
  return true;
}

/** A bare value under a command (PlistBuddy prints just the value) or under "PushMagic from nanomdm:". */
export function expectedValue(s: PasteState, line: string, n: number): boolean {
  const ctx = s.ctx;
  if (!ctx.expect || /\s/.test(line.replace(/\s*(?:…|\.{3})$/, ''))) return false;
  const expect = ctx.expect;
  const side = expect === 'token_hash' ? 'device' : ctx.command ? 'device' : (ctx.expectSide ?? ctx.section);
  ctx.expect = ctx.command ? ctx.expect : undefined;
  return s.take(expect, side, line, n, ctx.command ? 'PlistBuddy' : 'key: value', { key: 'the line before', explicit: !ctx.command });
}
