import type { EvidenceReport, Report } from '../../report/types.js';

/**
 * Channel messages are read by many people and kept for years: PushMagic,
 * push tokens and their hashes are shown as their first and last four
 * characters (enough to compare by eye), never whole.
 */
export function maskValue(value: string): string {
  return value.length <= 12 ? '••••' : `${value.slice(0, 4)}…${value.slice(-4)}`;
}

function maskOne<T extends EvidenceReport>(e: T, secret: ReadonlySet<string>): T {
  return secret.has(e.fact) && typeof e.value === 'string' ? { ...e, value: maskValue(e.value) } : e;
}

/** Replaces secret values inside free text (because-sentences, next steps) too. */
function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 12) out = out.split(s).join(maskValue(s));
  return out;
}

export function maskReport(report: Report): Report {
  // The report marks the facts the catalog calls secret.
  const secretFacts = new Set(report.facts.filter((f) => f.secret).map((f) => f.fact));
  const maskEvidence = <T extends EvidenceReport>(e: T) => maskOne(e, secretFacts);
  const secrets = [...new Set(report.facts.filter((f) => f.secret && typeof f.value === 'string').map((f) => f.value as string))];
  return {
    ...report,
    headline: maskText(report.headline, secrets),
    notes: report.notes.map((n) => ({ ...n, text: maskText(n.text, secrets), evidence: n.evidence.map(maskEvidence) })),
    causes: report.causes.map((c) => ({
      ...c,
      because: c.because.map((b) => maskText(b, secrets)),
      nextSteps: c.nextSteps.map((s) => maskText(s, secrets)),
      evidence: c.evidence.map(maskEvidence),
    })),
    conflicts: report.conflicts.map((k) => ({ ...k, values: k.values.map(maskEvidence) })),
    facts: report.facts.map(maskEvidence),
    timeline: report.timeline.map((t) => (secretFacts.has(t.fact) && typeof t.value === 'string' ? { ...t, value: maskValue(t.value) } : t)),
  };
}
