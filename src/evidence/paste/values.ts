import { normalizeHex, normalizeToken } from '../../facts/normalize.js';

/**
 * Checks a pasted value of each kind and, when it is not one, says what is
 * wrong without repeating it (magic and tokens are secrets).
 */

export type ValueKind = 'topic' | 'magic' | 'token' | 'token_hash';

export type Checked = { ok: true; value: string } | { ok: false; why: string };

const RE_TOPIC = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+$/;
const RE_MAGIC = /^[A-Za-z0-9-]{8,}$/;

/** Quotes, brackets people type around values, and sentence punctuation after them. */
export function stripValue(raw: string): string {
  // Closing quotes, commas and braces of a JSON or plist snippet; a token's <…> stays for normalizeToken.
  return raw.trim().replace(/^[`'"‘“]+/, '').replace(/[`'"’”,;.}\])\s]+$/, '').trim();
}

function describeTokenMistake(v: string): string {
  const inner = v.replace(/^<|>$/g, '');
  const hex = inner.replace(/[\s:]/g, '');
  if (/^[0-9a-fA-F]+$/.test(hex)) return `has ${hex.length} hex digits; a push token is 32 bytes, 64 hex digits`;
  const b64 = inner.replace(/\s/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    const bytes = Buffer.from(b64, 'base64').length;
    return `reads as base64 of ${bytes} bytes; a push token is 32 bytes (44 base64 characters)`;
  }
  return 'is neither 64 hex digits nor base64 (a push token is 32 bytes)';
}

export function checkValue(kind: ValueKind, raw: string): Checked {
  const v = stripValue(raw);
  if (!v) return { ok: false, why: 'is empty' };
  if (v.includes('<private>')) return { ok: false, why: 'is redacted (<private>) where it was copied from; read it from the source file instead (e.g. MDM.plist in a sysdiagnose)' };
  switch (kind) {
    case 'topic':
      return RE_TOPIC.test(v) ? { ok: true, value: v } : { ok: false, why: 'is not a push topic (a dotted name such as com.apple.mgmt.External.<uuid>)' };
    case 'magic':
      return RE_MAGIC.test(v) ? { ok: true, value: v } : { ok: false, why: `is not a PushMagic (letters, digits and dashes, at least 8; this has ${v.length} characters${/\s/.test(v) ? ' and spaces' : ''})` };
    case 'token': {
      const t = normalizeToken(v);
      return t ? { ok: true, value: t } : { ok: false, why: describeTokenMistake(v) };
    }
    case 'token_hash': {
      const h = normalizeHex(v.replace(/^0x/i, ''));
      if (h && h.length === 64) return { ok: true, value: h };
      const digits = v.replace(/^<|>$/g, '').replace(/[\s:]/g, '');
      return { ok: false, why: /^[0-9a-fA-F]+$/.test(digits) ? `has ${digits.length} hex digits; a SHA-256 is 64` : 'is not hex (a SHA-256 is 64 hex digits)' };
    }
  }
}
