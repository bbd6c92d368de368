import type { CauseStatus } from '../../engine/diagnose.js';
import { factDefinition } from '../../facts/catalog/index.js';
import type { FactValue } from '../../facts/schema.js';
import { showSecret, type Audience } from '../../facts/secrets.js';
import { formatTime, isIsoTime } from '../time.js';
import type { Report } from '../types.js';

export const STATUS_LABEL: Record<CauseStatus, string> = {
  confirmed: 'CONFIRMED',
  likely: 'LIKELY',
  open: 'OPEN',
  ruled_out: 'RULED OUT',
};

/** A status in running text: "open → confirmed". */
export const STATUS_WORDS = { confirmed: 'confirmed', likely: 'likely', open: 'open', ruled_out: 'ruled out' } as const;

export const STATUS_EMOJI: Record<CauseStatus, string> = {
  confirmed: '🔴',
  likely: '🟠',
  open: '⚪',
  ruled_out: '✅',
};

/** Fact ids, question ids and attribute names: what a person should never have to read. */
const INTERNAL_ID = /\b(?:q\.)?(?:case|device|server|mdm|apns|app|cert|provisioning|profile|notnow|securemail|pasted|attrs)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*/;

const PREFIX_WORDS: Record<string, string> = {
  provisioning: 'Provisioning profile',
  app: 'App',
  device: 'Device',
  server: 'MDM server',
  cert: 'Push certificate',
  apns: 'APNs',
  securemail: 'Secure Mail',
  notnow: 'NotNow',
  mdm: 'MDM',
  case: 'Case',
  profile: 'Enrollment profile',
};

/** The text up to the first "; " or ". " that is not inside parentheses. */
function firstClause(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === ';' || (c === '.' && /^\s+[A-Z]/.test(text.slice(i + 1)))) && /\s/.test(text[i + 1] ?? '')) return text.slice(0, i);
  }
  return text;
}

/**
 * A fact in words, from its catalog description, which is written for the
 * people who maintain the readers: the first sentence and clause, without
 * lists of possible values ("…: development or production"), examples,
 * attribute names or the trailing note on where it is read.
 */
export function factWords(name: string): string | undefined {
  const d = factDefinition(name)?.description;
  if (!d) return undefined;
  let w = firstClause(d);
  // Asides naming attributes or other facts ("(case.failed_push)") are for maintainers.
  w = w
    .replace(/,?\s+e\.g\.\s.*$/, '')
    .replace(/\s*\([^()]*(?:`|\battrs\b|\b[a-z]+\.[a-z_]+\.?[a-z_]*\b)[^()]*\)/g, (m) =>
      /`|\battrs\b/.test(m) || [...m.matchAll(/\b[a-z]+(?:\.[a-z0-9_]+)+/g)].some((x) => factDefinition(x[0])) ? '' : m,
    );
  w = w.replace(/ \((?:[^()]|\([^()]*\))*\)$/, '');
  const colon = w.indexOf(': ');
  if (colon >= 0 && /,|\bor\b/.test(w.slice(colon + 2))) w = w.slice(0, colon);
  w = w.trim();
  // A description that is only a list of values ("development, ad_hoc, enterprise or app_store"): name it from its id.
  if (!w || /^[a-z_]+(,| or )/.test(w)) {
    const [prefix, ...rest] = name.split('.');
    w = `${PREFIX_WORDS[prefix!] ?? prefix} ${rest.join(' ').replace(/_/g, ' ')}`;
  }
  return w;
}

/** "Device push token" → "device push token" inside a sentence; "HTTP status" and "PushMagic" keep their capitals. */
function lowerFirst(words: string): string {
  return words.replace(/^[A-Z](?=[a-z]+\b)/, (c) => c.toLowerCase());
}

/**
 * Internal names that slipped into a sentence (a derived value's "how", a
 * rule's text) in words: a fact by its description, an answer by "as answered".
 */
export function scrubIds(text: string): string {
  return text
    .replace(/\(answer to q\.[a-z0-9_.]+\)/g, '(as answered)')
    .replace(/\bq\.[a-z0-9_]+(?:\.[a-z0-9_]+)+/g, 'a question')
    .replace(new RegExp(INTERNAL_ID.source, 'g'), (m) => (factDefinition(m) ? lowerFirst(factWords(m) ?? m) : m));
}

/** Hashes and tokens of 40+ hex digits as "ca1dd8ab…d256" (the shared form of the secrets policy): enough to compare by eye. */
export function shortHex(text: string, audience: Audience = 'shared'): string {
  return text.replace(/\b[0-9a-fA-F]{40,}\b/g, (h) => showSecret(h, 'token', audience));
}

/** A value as a person reads it: yes/no, times with their zone. */
export function valueWords(value: FactValue, zone?: string): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (isIsoTime(value)) return formatTime(value, zone);
  return String(value);
}

/** Words for an attribute name: "request_type" → "request type". */
export function attrName(key: string): string {
  return ATTR_NAMES[key] ?? key.replace(/_/g, ' ');
}

const ATTR_NAMES: Record<string, string> = {
  udid: 'device',
  request_type: 'command',
  command_uuid: 'command id',
  from: 'read from',
  apns_id: 'apns-id',
  pasted_bytes: 'pasted bytes',
  written_as: 'written as',
  said_to_be: 'said to be',
};

/** Platform names as Apple writes them. */
export const PLATFORMS: Record<string, string> = { ios: 'iOS', ipados: 'iPadOS', macos: 'macOS', tvos: 'tvOS', watchos: 'watchOS', visionos: 'visionOS' };

export function deviceLine(r: Report): string | undefined {
  const d = { ...r.device, platform: r.device.platform && (PLATFORMS[r.device.platform.toLowerCase()] ?? r.device.platform) };
  const taken =
    d.sysdiagnoseAt &&
    (isIsoTime(d.sysdiagnoseAt) ? formatTime(d.sysdiagnoseAt, r.facts.find((f) => f.fact === 'device.sysdiagnose_at')?.attrs?.zone) : d.sysdiagnoseAt);
  const parts = [d.model, [d.platform, d.osVersion].filter(Boolean).join(' '), d.osBuild && `build ${d.osBuild}`, taken && `sysdiagnose taken ${taken}`].filter(
    Boolean,
  );
  return parts.length ? parts.join(', ') : undefined;
}

/** The answers a question takes, for a typed reply: "yes | no | unknown", or what to type. */
export function answerHint(q: Report['questions'][number]): string {
  if (q.answers.length) return q.answers.map((a) => a.value).join(' | ');
  if (q.type === 'time') return 'a date and time, e.g. 2026-11-20 14:05 UTC';
  return 'a value';
}

/** The answers as a person picks them: "Yes / No / Don't know". */
export function answerLabels(q: Report['questions'][number]): string {
  if (q.answers.length) return q.answers.map((a) => a.label).join(' / ');
  return q.type === 'time' ? 'a date and time (say which zone)' : 'type the value';
}
