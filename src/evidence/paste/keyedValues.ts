import type { PasteState, PastedKind } from './pasteState.js';
import { sideOf, type Side } from './side.js';
import { afterKey, kindOfKey, RE_KEY, wordValue } from './valueWords.js';

/**
 * Values written by people: key=value, key: value, prose ("the server uses
 * topic …", "token from the DB: …"), certificate subjects, and headers whose
 * side the lines under them share.
 */

/** A server's structured log line: its udid= and id= belong to the server-log reader. */
const RE_LOGFMT = /\b(?:level|ts|msg|component|service|caller)=|(?:\b\w+=\S+\s+){3}/;
/** A certificate subject: openssl's "UID = com.apple.mgmt…, CN = APSP:<uuid>" or its /UID=…/CN=… form. */
const RE_SUBJECT_UID = /(?:^|[\s/,])UID\s*=\s*(com\.apple\.mgmt\.[^\s,/]+)/;
const RE_APSP = /\bAPSP:\s*([0-9A-Za-z][0-9A-Za-z-]*(?:…|\.{3})?)/;

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

/** A push certificate's subject: its UID is the MDM topic, APSP:<uuid> names the same UUID. */
export function certificateSubject(s: PasteState, line: string, n: number): boolean {
  const uid = RE_SUBJECT_UID.exec(line);
  const apsp = RE_APSP.exec(line);
  if (!uid && !apsp) return false;
  const topic = uid ? uid[1] : `com.apple.mgmt.External.${apsp![1]}`;
  s.take('topic', 'server', topic, n, 'certificate subject', { role: 'certificate' });
  return true;
}

/** key=value, key: value, "the server uses topic …", "token from the DB: …"; several on one line. */
export function keyedValues(s: PasteState, line: string, n: number): boolean {
  const hits = [...line.matchAll(RE_KEY)].filter((h) => !(/^(?:udid|apns[ _-]?id)$/i.test(h[1]) && RE_LOGFMT.test(line)));
  const found = valuesAfterKeys(s, line, hits);
  if (!found.length) return hits.length > 0;
  // Words anywhere on the line ("server:", "from our MDM DB") give every value on it a side.
  let rest = line;
  for (const f of found) if (f.raw) rest = rest.split(f.raw).join(' ');
  const lineSide = sideOf(rest);
  for (const f of found) {
    const role = f.kind === 'topic' && /\benroll|devices? (?:still )?use\b/i.test(f.label) ? ('enrolled' as const) : undefined;
    let side: Side = f.key.startsWith('--') ? 'server' : f.kind === 'token_hash' && /last/i.test(f.key) ? 'device' : sideOf(f.label);
    if (side === 'unclear') side = lineSide;
    if (side === 'unclear') side = s.sideNow();
    if (!f.raw) {
      if (f.explicit) s.issues.push({ line: n, key: f.key, why: 'is empty' });
      continue;
    }
    s.take(f.kind, side, f.raw, n, f.explicit ? `key${f.sep}value` : 'prose', { key: f.key, explicit: f.explicit, ...(role ? { role } : {}) });
  }
  return true;
}

/** The value after each key, up to the next key; a key ending its line announces the value on the next one. */
function valuesAfterKeys(s: PasteState, line: string, hits: RegExpExecArray[]): KeyedValue[] {
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
        s.ctx.expect = kind;
        s.ctx.expectSide = sideOf(label);
        if (s.ctx.expectSide === 'unclear') s.ctx.expectSide = undefined;
      }
      return;
    }
    found.push({ kind, raw: raw.trim(), label, key: `${h[1]}${a.filler}${a.sep === ' ' ? '' : a.sep}`, explicit: a.explicit, sep: a.sep });
  });
  return found;
}

/** "the server uses com.apple.mgmt.External.…": an MDM topic needs no key to be recognised. */
export function proseTopic(s: PasteState, line: string, n: number): boolean {
  const t = /\bcom\.apple\.mgmt\b/i.exec(line);
  if (!t) return false;
  const raw = wordValue('topic', line.slice(t.index)).replace(/[,;:)\]"'`]+$/, '');
  const side = sideOf(line.replace(raw, ' '));
  const role = /\benroll|devices? (?:still )?use\b/i.test(line) ? ('enrolled' as const) : undefined;
  s.take('topic', side === 'unclear' ? s.sideNow() : side, raw, n, 'prose', role ? { role } : {});
  return true;
}

/** "server values (from our MDM DB):", "MDM says:": a header whose side the lines under it share. */
export function header(s: PasteState, line: string): void {
  if (!/:\s*$/.test(line) || line.length > 80) return;
  const side = sideOf(line);
  if (side === 'unclear') return;
  s.ctx.section = side;
  s.endCommand();
}
