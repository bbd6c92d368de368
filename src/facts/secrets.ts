import { isSecretFact } from './catalog/index.js';

/**
 * One policy for showing push tokens, PushMagic, UDIDs and serials: who is
 * looking decides how much of a value they see. Every path that shows one
 * (renderers, Slack, the Feedback draft, --redact, log lines, a token cited
 * inside other evidence) goes through showSecret.
 */
export type Audience =
  /** The person diagnosing (terminal, JSON, Markdown report): the whole value, to compare and act on. */
  | 'diagnosing'
  /** Apple's Feedback draft: the whole value, because Apple asks for it. */
  | 'apple'
  /** `--redact` and the redacted draft, for wider channels and tickets: enough to tell two devices apart, not enough to push to one. */
  | 'shared'
  /** Slack channel messages, read by many and kept for years: first and last four characters, to compare by eye. */
  | 'channel'
  /** Log lines: nothing of the value. */
  | 'log'
  /** A secret cited inside another piece of evidence (Secure Mail's listener token beside a subscription event): its last four characters. */
  | 'reference';

export type SecretKind = 'token' | 'magic' | 'udid' | 'serial' | 'other';

/** What a log line shows in place of a secret. */
export const REDACTED = '[redacted]';

/** How `audience` sees a secret value of this kind. */
export function showSecret(value: string, kind: SecretKind, audience: Audience): string {
  switch (audience) {
    case 'diagnosing':
    case 'apple':
      return value;
    case 'log':
      return REDACTED;
    case 'channel':
      return value.length <= 12 ? '••••' : `${value.slice(0, 4)}…${value.slice(-4)}`;
    case 'reference':
      return value.length > 8 ? `…${value.slice(-4)}` : '…';
    case 'shared':
      switch (kind) {
        case 'serial':
          return '(serial hidden)';
        case 'token':
        case 'udid':
          return value.length > 14 ? `${value.slice(0, 8)}…${value.slice(-4)}` : `${value.slice(0, 4)}…`;
        case 'magic':
          return value.length > 8 ? `${value.slice(0, 4)}…${value.slice(-2)}` : '…';
        case 'other':
          return value.length > 8 ? `${value.slice(0, 3)}…` : '…';
      }
  }
}

/** The kind of a secret fact (its catalog entry says it is secret), or undefined for a fact that is not one. */
export function secretKindOf(factName: string, markedSecret = false): SecretKind | undefined {
  if (!markedSecret && !isSecretFact(factName)) return undefined;
  if (/serial/.test(factName)) return 'serial';
  if (/udid/.test(factName)) return 'udid';
  if (/magic/.test(factName)) return 'magic';
  if (/token|hash|sha256/.test(factName)) return 'token';
  return 'other';
}

/** Attribute keys whose values identify a device or carry a credential, whatever fact they sit on. */
const SECRET_ATTRS: Readonly<Record<string, SecretKind>> = {
  udid: 'udid',
  device: 'udid',
  serial: 'serial',
  serial_number: 'serial',
  token: 'token',
  push_token: 'token',
  push_magic: 'magic',
  magic: 'magic',
};

export function secretKindOfAttr(key: string): SecretKind | undefined {
  return Object.hasOwn(SECRET_ATTRS, key) ? SECRET_ATTRS[key] : undefined;
}

/**
 * Replaces each known secret inside free text (a because-sentence, a draft)
 * by what `audience` sees, longest first so a value inside a longer one is
 * not half-replaced. Values shorter than `minLength` are left alone: a "1"
 * or "true" replaced everywhere would shred the text.
 */
export function showSecretsIn(text: string, secrets: Iterable<readonly [string, SecretKind]>, audience: Audience, minLength = 6): string {
  if (audience === 'diagnosing' || audience === 'apple') return text;
  const list = [...secrets].filter(([v]) => v.length >= minLength).sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
  let out = text;
  for (const [value, kind] of list) out = out.split(value).join(showSecret(value, kind, audience));
  return out;
}
