import { isSecretFact } from '../facts/catalog/index.js';
import type { Report } from '../report/types.js';

/**
 * The redacted draft is for a wider channel (a team Slack channel, a ticket):
 * enough of each value survives to tell two devices apart, not enough to
 * push to one. Apple gets the full draft.
 */
export type SecretKind = 'token' | 'udid' | 'serial' | 'magic' | 'other';

/** Attribute keys whose values identify a device or carry a credential. */
const SECRET_ATTRS: Record<string, SecretKind> = {
  udid: 'udid',
  device: 'udid',
  serial: 'serial',
  serial_number: 'serial',
  token: 'token',
  push_token: 'token',
  push_magic: 'magic',
  magic: 'magic',
};

function kindOfFact(name: string): SecretKind {
  if (/serial/.test(name)) return 'serial';
  if (/udid/.test(name)) return 'udid';
  if (/magic/.test(name)) return 'magic';
  if (/token|hash|sha256/.test(name)) return 'token';
  return 'other';
}

/** The shortened form of one secret value. */
export function redactValue(value: string, kind: SecretKind): string {
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

/** Every secret string in the report, paired with its redacted form, longest first. */
export function secretsOf(report: Report): [string, string][] {
  const out = new Map<string, string>();
  const add = (value: string, kind: SecretKind) => {
    // Short values (a "1", "true") would shred the text if replaced everywhere.
    if (value.length >= 6 && !out.has(value)) out.set(value, redactValue(value, kind));
  };
  for (const f of report.facts) {
    if (f.secret || isSecretFact(f.fact)) add(String(f.value), kindOfFact(f.fact));
    for (const [k, v] of Object.entries(f.attrs ?? {})) if (SECRET_ATTRS[k]) add(v, SECRET_ATTRS[k]);
  }
  for (const e of report.timeline) for (const [k, v] of Object.entries(e.attrs ?? {})) if (SECRET_ATTRS[k]) add(v, SECRET_ATTRS[k]);
  return [...out].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
}

const HEX64 = /\b[0-9a-fA-F]{64}\b/g;

/**
 * Replaces every secret of the report in a text, then shortens any 64-hex run
 * left over (a token quoted in a log line the facts did not name as secret).
 */
export function redactText(text: string, secrets: readonly [string, string][]): string {
  let out = text;
  for (const [value, short] of secrets) out = out.split(value).join(short);
  return out.replace(HEX64, (m) => redactValue(m, 'token'));
}
