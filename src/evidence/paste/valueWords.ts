import type { PastedKind } from './pasteState.js';

// The words of a pasted line around a value: the keys people write, what follows a key, and the
// value itself, joined again where chat or a terminal cut it.

// A key people write, with an optional side glued to it (server_magic, device-topic, --token).
export const RE_KEY =
  /(?:^|[^\w-])((?:--)?(?:(?:server|srv|device|db)(?:'s)?[ _.-]?)?(?:last[ _-]?push[ _-]?token[ _-]?hash|(?:push[ _-]?)?token[ _-]?(?:hash|sha-?256)|push[ _-]?magic|magic(?:[ _-]?string)?|(?:push[ _-]?|device[ _-]?|apns[ _-]?)?token|(?:push[ _-]?)?topic|udid|apns[ _-]?id))(?![\w-])/gi;

export function kindOfKey(key: string): PastedKind {
  const k = key.toLowerCase();
  if (/hash|sha/.test(k)) return 'token_hash';
  if (k.includes('magic')) return 'magic';
  if (/apns[ _-]?id/.test(k)) return 'apns_id';
  if (k.includes('udid')) return 'udid';
  if (k.includes('token')) return 'token';
  return 'topic';
}

/** Cleans the things chat and terminals put around a line. */
export function tidy(line: string): string {
  return line
    .replace(/^\s*(?:>\s*)+/, '')
    .replace(/^\s*(?:[-*•]\s+)/, '')
    .replace(/^`+|`+$/g, '')
    .trim();
}

const ELLIPSIS = /^\s*(?:…|\.{3})/;

/**
 * The value a key announces, from the text after the key (up to the next
 * key): after "=", ":" or "=>"; after a few words and one of those ("token
 * from the DB: …", "PushMagic from nanomdm: …"); after "is", "shows"… ("the
 * token we have on file is …"); or simply the next word ("server topic X").
 */
export function afterKey(seg: string): { rest: string; explicit: boolean; filler: string; sep: string } {
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
export function wordValue(kind: PastedKind, rest: string): string {
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
    if (first.endsWith('-') || next.startsWith('-') || (/^[0-9A-Fa-f]{8}-/.test(first) && joined.length >= 30 && first.length < 36))
      return `${first} ${bare(next)}`;
  }
  return first;
}
