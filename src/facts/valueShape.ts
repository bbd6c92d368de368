import type { Fact, Source } from './schema.js';
import { normalizeHex, normalizeToken } from './normalize.js';
import { showSecret } from './secrets.js';

/**
 * Whether a push identity value (topic, PushMagic, token, token hash, UDID)
 * can be compared at all. Values arrive masked (`XXXX`, `<private>`, `****`,
 * cut short with `…`) or garbled by copying (a UUID with a group too long, a
 * token a digit short, a topic with a segment twice). Comparing such a value
 * with the real one "confirms" a wrong magic or topic that is only a typo, so
 * every reader judges its values here first and records the unusable ones as
 * `value.masked` / `value.garbled`, which no rule compares.
 */

export type ValueKind = 'topic' | 'magic' | 'token' | 'token_hash' | 'udid';

export type Judged =
  | { state: 'ok'; value: string }
  /** Hidden or cut short where it was copied from: the real value is unknown. */
  | { state: 'masked'; why: string }
  /** Has a value's shape, almost: a typo or a copy that went wrong. */
  | { state: 'garbled'; why: string }
  /** Not a value of this kind at all. */
  | { state: 'invalid'; why: string };

const MASK_WORDS = /^(?:<|\[|\(|\{)?\s*(?:private|redacted|hidden|removed|masked|omitted|saniti[sz]ed|censored|secret|snip(?:ped)?)\s*(?:>|\]|\)|\})?$/i;
const MASK_TAG =
  /<\s*(?:private|redacted|hidden|removed|masked|omitted|sanitized|sanitised|snip)\s*>|\[\s*(?:redacted|hidden|removed|masked|omitted|snip)\s*\]/i;
/** A <word> placeholder copied from documentation (<uuid>, <token>); hex in <…> is NSData's way of printing a token. */
const ANGLE_PLACEHOLDER = /<[^<>]*[g-zG-Z_][^<>]*>/;

/** Why a value is masked, or undefined when nothing in it is hidden. */
export function maskedWhy(v: string): string | undefined {
  if (MASK_WORDS.test(v.trim()) || MASK_TAG.test(v)) return 'is redacted where it was copied from (a log or a ticket hides it)';
  if (/X{4,}/.test(v) || /(?:^|[.\-_:/])x{4,}(?=$|[.\-_:/])/.test(v)) return 'is masked (a run of X stands where characters were)';
  if (/[*•●#]{3,}/.test(v)) return 'is masked (a run of * stands where characters were)';
  if (/…|\.{3}/.test(v)) return 'is cut short (… or ... stands for the rest)';
  if (ANGLE_PLACEHOLDER.test(v) && !/^<[0-9a-fA-F\s:]*>$/.test(v)) return 'is a placeholder (<…>), not a value';
  return undefined;
}

const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * A string shaped almost like a UUID: mostly hex, cut by dashes into several
 * groups. PushMagic is a UUID the device makes, and MDM topics end in one.
 */
function nearUuid(v: string): boolean {
  if (!/^[A-Za-z0-9-]+$/.test(v)) return false;
  const dashes = (v.match(/-/g) ?? []).length;
  const body = v.replace(/-/g, '');
  const hex = (body.match(/[0-9A-Fa-f]/g) ?? []).length;
  if (dashes < 3 || body.length < 20 || hex / body.length < 0.9) return false;
  return dashes >= 4 || v.length >= 28;
}

function uuidFlaw(v: string): string {
  const groups = v.split('-').map((g) => g.length);
  const stray = v.replace(/-/g, '').match(/[^0-9A-Fa-f]/g);
  if (groups.join('-') !== '8-4-4-4-12') return `has dash-separated groups of ${groups.join('-')} characters, where a UUID has 8-4-4-4-12`;
  return `holds ${stray!.length === 1 ? 'a character' : 'characters'} that ${stray!.length === 1 ? 'is' : 'are'} not hex (${[...new Set(stray)].join(' ')})`;
}

const RE_TOPIC = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+$/;

function topicFlaw(v: string): string | undefined {
  if (/\s/.test(v)) return 'has a space inside it';
  if (/\.\./.test(v) || /^\.|\.$/.test(v)) return 'has an empty segment (two dots together, or a dot at an end)';
  const segs = v.split('.');
  for (let i = 1; i < segs.length; i++) if (segs[i].toLowerCase() === segs[i - 1].toLowerCase()) return `repeats the segment "${segs[i]}"`;
  const lower = v.toLowerCase();
  if (lower.indexOf('com.apple.mgmt', 1) > 0) return 'holds com.apple.mgmt twice';
  if (lower.startsWith('com.apple.mgmt')) {
    if (lower === 'com.apple.mgmt' || lower === 'com.apple.mgmt.external')
      return 'stops before the UUID an MDM topic ends with (com.apple.mgmt.External.<uuid>)';
    const last = segs[segs.length - 1];
    if (nearUuid(last) && !UUID.test(last)) return `ends in something almost a UUID, which ${uuidFlaw(last)}`;
  }
  return undefined;
}

/**
 * Judges one value of a kind. `ok` values come back normalised (tokens and
 * hashes as lower-case hex). The reasons never repeat the value: magic and
 * tokens are secrets.
 */
export function judgeValue(kind: ValueKind, raw: string): Judged {
  const v = raw.trim();
  if (!v) return { state: 'invalid', why: 'is empty' };
  // No push identity value is this long; a blob pasted as one is not worth judging character by character.
  if (v.length > 1024) return { state: 'invalid', why: `is ${v.length} characters long, far longer than any topic, PushMagic, token or UDID` };
  const masked = maskedWhy(v);
  if (masked) return { state: 'masked', why: masked };
  switch (kind) {
    case 'topic': {
      const flaw = topicFlaw(v);
      if (flaw) return { state: 'garbled', why: flaw };
      return RE_TOPIC.test(v)
        ? { state: 'ok', value: v }
        : { state: 'invalid', why: 'is not a push topic (a dotted name such as com.apple.mgmt.External.<uuid>)' };
    }
    case 'magic':
      if (/\s/.test(v) && nearUuid(v.replace(/\s+/g, ''))) return { state: 'garbled', why: 'has a space inside it' };
      if (nearUuid(v) && !UUID.test(v)) return { state: 'garbled', why: `${uuidFlaw(v)}; a PushMagic is a UUID` };
      return /^[A-Za-z0-9-]{8,}$/.test(v)
        ? { state: 'ok', value: v }
        : {
            state: 'invalid',
            why: `is not a PushMagic (letters, digits and dashes, at least 8; this has ${v.length} characters${/\s/.test(v) ? ' and spaces' : ''})`,
          };
    case 'token': {
      const t = normalizeToken(v);
      if (t) return { state: 'ok', value: t };
      return tokenMistake(v);
    }
    case 'token_hash': {
      const h = normalizeHex(v.replace(/^0x/i, ''));
      if (h && h.length === 64) return { state: 'ok', value: h };
      const digits = v.replace(/^<|>$/g, '').replace(/^0x/i, '').replace(/[\s:]/g, '');
      if (/^[0-9a-fA-F]+$/.test(digits)) return { state: 'garbled', why: `has ${digits.length} hex digits; a SHA-256 is 64` };
      if (mostlyHex(digits, 48)) return { state: 'garbled', why: 'holds characters that are not hex; a SHA-256 is 64 hex digits' };
      return { state: 'invalid', why: 'is not hex (a SHA-256 is 64 hex digits)' };
    }
    case 'udid':
      if (/^[0-9a-fA-F]{40}$/.test(v) || /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{16}$/.test(v) || UUID.test(v)) return { state: 'ok', value: v };
      if (nearUuid(v) || /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{10,20}$/.test(v) || mostlyHex(v.replace(/-/g, ''), 24))
        return { state: 'garbled', why: 'is not shaped like a UDID (40 hex digits, 8-16 or a UUID 8-4-4-4-12)' };
      // User Enrollment's EnrollmentID and servers' own ids have no fixed shape.
      return /^[A-Za-z0-9][A-Za-z0-9:._@-]{7,199}$/.test(v) ? { state: 'ok', value: v } : { state: 'invalid', why: 'is not a device id' };
  }
}

function mostlyHex(s: string, minLength: number): boolean {
  if (s.length < minLength) return false;
  const hex = (s.match(/[0-9a-fA-F]/g) ?? []).length;
  return hex / s.length >= 0.9;
}

function tokenMistake(v: string): Judged {
  const inner = v.replace(/^<|>$/g, '');
  const hex = inner.replace(/[\s:]/g, '');
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    // A short hex run is some other number, not a token someone mistyped.
    const why = `has ${hex.length} hex digits; a push token is 32 bytes, 64 hex digits`;
    return hex.length >= 48 ? { state: 'garbled', why } : { state: 'invalid', why };
  }
  if (mostlyHex(hex, 56)) return { state: 'garbled', why: 'holds characters that are not hex; a push token is 64 hex digits' };
  const b64 = inner.replace(/\s/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    const bytes = Buffer.from(b64, 'base64').length;
    const why = `reads as base64 of ${bytes} bytes; a push token is 32 bytes (44 base64 characters)`;
    return bytes >= 24 && bytes <= 40 ? { state: 'garbled', why } : { state: 'invalid', why };
  }
  return { state: 'invalid', why: 'is neither 64 hex digits nor base64 (a push token is 32 bytes)' };
}

/** How each value is named in a note. */
const LABELS: Record<string, string> = {
  'server.topic': "the server's push topic",
  'server.enrolled_topic': 'the topic in a check-in (the one the device enrolled with)',
  'device.topic': "the device's topic",
  'pasted.topic': 'a pasted topic',
  'cert.mdm_topic': "the MDM push certificate's topic",
  'server.push_magic': "the server's PushMagic",
  'device.push_magic': "the device's PushMagic",
  'pasted.push_magic': 'a pasted PushMagic',
  'server.push_token': "the server's push token",
  'pasted.push_token': 'a pasted push token',
  'device.push_token_hash': "the device's LastPushTokenHash",
  'pasted.push_token_hash': 'a pasted token hash',
  'server.push_token_sha256': "the SHA-256 of the server's token",
  'device.udid': "the device's UDID",
};

/** The question that asks for the real value, where there is one. */
const QUESTIONS: Record<string, string> = {
  'server.topic': 'q.mdm.server_topic',
  'server.enrolled_topic': 'q.mdm.device_topic',
  'device.topic': 'q.mdm.device_topic',
  'server.push_magic': 'q.mdm.server_magic',
  'device.push_magic': 'q.mdm.device_magic',
  'server.push_token': 'q.mdm.server_token',
  'pasted.push_token': 'q.mdm.server_token',
  'device.push_token_hash': 'q.mdm.device_token_hash',
  'pasted.push_token_hash': 'q.mdm.device_token_hash',
};

const SECRET_KINDS = new Set<ValueKind>(['magic', 'token', 'token_hash', 'udid']);

/** How the value is quoted in a note: topics whole, secrets only by their ends. */
function shown(kind: ValueKind, raw: string): string {
  const v = raw.trim().replace(/\s+/g, ' ');
  if (!SECRET_KINDS.has(kind) || maskedWhy(v)) return v.length > 90 ? `${v.slice(0, 87)}…` : v;
  // A note reaches everyone the report does: the value as a shared copy shows a token, by its ends
  // (as a token whatever it was meant to be: a value that is not well formed has no sure kind).
  return showSecret(v, 'token', 'shared');
}

/**
 * The fact that stands for a value that cannot be compared: `value.masked` or
 * `value.garbled`, saying which value it is (attrs.of, the fact it would have
 * been), why, and which question asks for the real one.
 */
export function unusableValueFact(
  of: string,
  kind: ValueKind,
  raw: string,
  judged: { state: 'masked' | 'garbled'; why: string },
  source: Source,
  extra: { at?: string; attrs?: Record<string, string> } = {},
): Fact {
  const label = LABELS[of] ?? of;
  const question = QUESTIONS[of];
  return {
    name: judged.state === 'masked' ? 'value.masked' : 'value.garbled',
    value: `${label} "${shown(kind, raw)}" ${judged.why}${question ? ` (${question} asks for the real one)` : ''}`,
    source,
    ...(extra.at ? { at: extra.at } : {}),
    attrs: { ...extra.attrs, of, kind, state: judged.state, why: judged.why, ...(question ? { question } : {}) },
  };
}
