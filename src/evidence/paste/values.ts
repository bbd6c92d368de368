import { judgeValue, type ValueKind as SharedKind } from '../../facts/valueShape.js';

/**
 * Checks a pasted value of each kind and, when it is not one, says what is
 * wrong without repeating it (magic and tokens are secrets). Masked and
 * garbled values are told apart from values that are simply not of the kind:
 * those are recorded as value.masked / value.garbled and never compared.
 */

export type ValueKind = SharedKind;

export type Checked = { ok: true; value: string } | { ok: false; state: 'masked' | 'garbled' | 'invalid'; why: string };

/** Quotes, brackets people type around values, and sentence punctuation after them. */
function stripValue(raw: string): string {
  // Closing quotes, commas and braces of a JSON or plist snippet; a token's <…> stays for normalizeToken.
  // A trailing "..." or "…" is a truncation, not punctuation: it stays so that it is seen.
  const v = raw.trim().replace(/^[`'"‘“]+/, '');
  const ellipsis = /(?:\.{3}|…)[`'"’”,;)\]}\s]*$/.test(v);
  const cut = v.replace(/[`'"’”,;.}\])\s]+$/, '').trim();
  return ellipsis ? `${cut}…` : cut;
}

export function checkValue(kind: ValueKind, raw: string): Checked {
  const v = stripValue(raw);
  const j = judgeValue(kind, v);
  if (j.state === 'ok') return { ok: true, value: j.value };
  if (j.state === 'masked' && v.includes('<private>'))
    return {
      ok: false,
      state: 'masked',
      why: 'is redacted (<private>) where it was copied from; read it from the source file instead (e.g. MDM.plist in a sysdiagnose)',
    };
  return { ok: false, state: j.state, why: j.why };
}
