import type { CauseReport, Report } from '../report/types.js';
import { DOMAIN_WORDS } from '../report/focus.js';
import { STATUS_WORDS } from '../report/render/words.js';

/** What describeChanges reads of a report: a whole Report, or the gist a front end keeps of one. */
export interface ReportGist {
  domains: Report['domains'];
  causes: Pick<CauseReport, 'id' | 'status' | 'title'>[];
  /** Whether a Feedback draft is ready (the report's escalation, or just whether it has one). */
  escalation: unknown;
}

/** One-line descriptions of what moved between two reports, for a short thread reply. */
export function describeChanges(before: ReportGist | undefined, after: ReportGist): string[] {
  const lines: string[] = [];
  const was = new Map((before?.causes ?? []).map((c) => [c.id, c.status]));
  for (const c of after.causes) {
    const prev = was.get(c.id);
    if (prev === c.status) continue;
    // A first report: only what the evidence already decided; the summary lists the open ones.
    if (!before && (c.status === 'open' || c.status === 'ruled_out')) continue;
    lines.push(prev ? `${c.title}: ${STATUS_WORDS[prev]} → ${STATUS_WORDS[c.status]}` : `${c.title}: ${STATUS_WORDS[c.status]}`);
  }
  const newDomains = after.domains.filter((d) => !(before?.domains ?? []).includes(d));
  if (before && newDomains.length) lines.unshift(`Now also looking at: ${newDomains.map((d) => DOMAIN_WORDS[d]).join(', ')}`);
  if (!before?.escalation && after.escalation) lines.push('Every known cause is ruled out: an Apple Feedback draft is ready.');
  return lines;
}
