import type { LinkedValues, RequiredValue } from './context.js';
import { redactValue } from '../report/render/audience.js';

/**
 * The guard between a model's rewrite and a support engineer: the rewrite
 * may change sentences, never values. Every required value must appear
 * verbatim, and anything that looks like a token, PushMagic, UUID or time
 * must be copied from the facts, not made up.
 */
export type Verdict = { ok: true } | { ok: false; reason: string };

export interface VerifyInput {
  /** Values the rewrite must carry verbatim. */
  required: readonly RequiredValue[];
  /** Text the facts allow identifiers to come from: the template draft (and, unredacted, the fact values). */
  allowed: string;
  /**
   * The template draft: where pushcheck said each time's zone. A time the
   * rewrite gives a zone (UTC, GMT, Z) must stand so in it; the facts' own
   * ISO times end in Z even when their log wrote no zone, so `allowed` cannot tell.
   */
  template?: string;
  /** Values that must stand on one line with their anchor (each failed push's answer with its time). */
  linked?: readonly LinkedValues[];
}

/** A time with a zone said after it: "2024-05-06 09:00:00 UTC", "09:00 GMT", "09:00:00Z". */
const ZONED_TIME = /(?:\d{4}-\d{2}-\d{2}[T ])?(?<![\d:])\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s?(?:UTC|GMT|Z)(?![A-Za-z])/g;

/** Shapes of strings a model must not invent. Each match must occur in the allowed text. */
/** `open`: the shape is never a secret, so the reason may quote it whole. */
const SUSPICIOUS: { what: string; pattern: RegExp; open?: boolean }[] = [
  { what: 'UUID', pattern: /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/g },
  { what: 'token-like hex string', pattern: /(?<![0-9A-Za-z])[0-9A-Fa-f]{16,}(?![0-9A-Za-z])/g },
  { what: 'timestamp', pattern: /\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g },
  { what: 'time of day', pattern: /(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])/g },
  {
    what: 'date',
    pattern:
      /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}\b|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b/g,
  },
  // What APNs answered: a status or a reason name ("410", "BadDeviceToken") the facts do not hold is an invented answer.
  { what: 'status code', pattern: /(?<![\w.:-])[1-5]\d\d(?![\w.:-])/g, open: true },
  { what: 'reason or key name', pattern: /\b[A-Z][a-z]+(?:[A-Z][a-z]*)+\b/g, open: true },
  // PushMagic and other opaque credentials: long runs of letters, digits and dashes with both a letter and a digit.
  { what: 'token- or magic-like string', pattern: /(?<![\w.-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9_-]{12,}(?![\w-])/g },
];

function shorten(s: string): string {
  return s.length > 12 ? redactValue(s, 'token') : s;
}

export function verifyDraft(candidate: string, input: VerifyInput): Verdict {
  if (!candidate.trim()) return { ok: false, reason: 'the rewrite was empty' };
  for (const r of input.required) {
    if (!candidate.includes(r.value)) return { ok: false, reason: `the rewrite lost or changed ${r.label}` };
  }
  const lines = candidate.split('\n');
  for (const { anchor, values } of input.linked ?? []) {
    const own = lines.filter((l) => l.includes(anchor));
    for (const v of values) if (!own.some((l) => l.includes(v.value))) return { ok: false, reason: `the rewrite moved ${v.label} off that push's line` };
  }
  for (const { what, pattern, open } of SUSPICIOUS) {
    for (const m of candidate.matchAll(pattern)) {
      if (!input.allowed.includes(m[0]))
        return { ok: false, reason: `the rewrite contains a ${what} that is not in the facts (${open ? m[0] : shorten(m[0])})` };
    }
  }
  if (input.template !== undefined) {
    for (const m of candidate.matchAll(ZONED_TIME)) {
      if (!input.template.includes(m[0])) return { ok: false, reason: `the rewrite gives a zone (${m[0]}) to a time the evidence holds without one` };
    }
  }
  return { ok: true };
}
