import { secretKindOf, secretKindOfAttr, showSecret, showSecretsIn, type Audience, type SecretKind } from '../../facts/secrets.js';
import type { EvidenceReport, Report } from '../types.js';

export type { Audience, SecretKind } from '../../facts/secrets.js';

/**
 * A report, or text rendered from one, as an audience sees it (the policy is
 * src/facts/secrets.ts). The report itself always holds the whole values:
 * the person diagnosing needs them.
 */

/** Every secret value of the report (secret facts, secret attributes), with its kind. */
function secretValues(report: Report): Map<string, SecretKind> {
  const out = new Map<string, SecretKind>();
  const add = (value: string, kind: SecretKind) => {
    if (!out.has(value)) out.set(value, kind);
  };
  for (const f of report.facts) {
    const kind = secretKindOf(f.fact, f.secret);
    if (kind) add(String(f.value), kind);
    for (const [k, v] of Object.entries(f.attrs ?? {})) {
      const attr = secretKindOfAttr(k);
      if (attr) add(v, attr);
    }
  }
  for (const e of report.timeline)
    for (const [k, v] of Object.entries(e.attrs ?? {})) {
      const attr = secretKindOfAttr(k);
      if (attr) add(v, attr);
    }
  return out;
}

/** Each secret of the report paired with how `audience` sees it, longest first (short values, which would shred text, left out). */
export function secretsOf(report: Report, audience: Audience = 'shared'): [string, string][] {
  return [...secretValues(report)]
    .filter(([v]) => v.length >= 6)
    .map(([v, kind]): [string, string] => [v, showSecret(v, kind, audience)])
    .sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
}

const HEX64 = /\b[0-9a-fA-F]{64}\b/g;

/**
 * Replaces every secret of a report (as paired by secretsOf) in a text. For
 * a shared copy, any 64-hex run left over (a token quoted in a log line the
 * facts did not name as secret) is shortened too.
 */
export function redactText(text: string, secrets: readonly [string, string][], audience: Audience = 'shared'): string {
  let out = text;
  for (const [value, shown] of secrets) out = out.split(value).join(shown);
  return audience === 'shared' ? out.replace(HEX64, (m) => showSecret(m, 'token', 'shared')) : out;
}

/** The shortened form of one secret value in a shared copy (--redact, the redacted draft). */
export function redactValue(value: string, kind: SecretKind): string {
  return showSecret(value, kind, 'shared');
}

/** In a channel, values up to 12 characters are too short to replace inside sentences (they are still hidden where they stand alone). */
const MIN_IN_TEXT: Partial<Record<Audience, number>> = { channel: 13 };

/** The report as `audience` sees it: secret values, secret attributes and the sentences that quote them. */
export function reportFor(report: Report, audience: Audience): Report {
  if (audience === 'diagnosing' || audience === 'apple') return report;
  const secrets = secretValues(report);
  const secretFacts = new Map(report.facts.flatMap((f) => (secretKindOf(f.fact, f.secret) ? [[f.fact, secretKindOf(f.fact, f.secret)!] as const] : [])));
  const text = (t: string) => showSecretsIn(t, secrets, audience, MIN_IN_TEXT[audience]);
  const attrs = (a: Record<string, string> | undefined) =>
    a && Object.fromEntries(Object.entries(a).map(([k, v]) => [k, secretKindOfAttr(k) ? showSecret(v, secretKindOfAttr(k)!, audience) : v]));
  const value = <T extends { fact: string; value: unknown; attrs?: Record<string, string> }>(e: T): T => {
    const kind = secretFacts.get(e.fact);
    const shown = kind && typeof e.value === 'string' ? { ...e, value: showSecret(e.value, kind, audience) } : e;
    return e.attrs ? { ...shown, attrs: attrs(e.attrs) } : shown;
  };
  const evidence = <T extends EvidenceReport>(e: T): T => value(e);
  return {
    ...report,
    headline: text(report.headline),
    notes: report.notes.map((n) => ({ ...n, text: text(n.text), evidence: n.evidence.map(evidence) })),
    causes: report.causes.map((c) => ({ ...c, because: c.because.map(text), nextSteps: c.nextSteps.map(text), evidence: c.evidence.map(evidence) })),
    conflicts: report.conflicts.map((k) => ({ ...k, values: k.values.map(evidence) })),
    facts: report.facts.map(evidence),
    timeline: report.timeline.map(value),
  };
}
