import type { Report } from '../types.js';
import { answerHint, deviceLine, evidenceLines, factWords, placesOf, sourceLine, STATUS_EMOJI, STATUS_LABEL } from './words.js';

function code(v: unknown): string {
  const s = String(v).replace(/`/g, 'ˋ');
  return `\`${s}\``;
}

/** The Markdown rendering: for tickets, wikis, and the Slack file attachment. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  out.push('# pushcheck report', '', `**${report.headline}**`, '');
  const dev = deviceLine(report);
  if (dev) out.push(`- Device: ${dev}`);
  if (report.domains.length) out.push(`- Looked at: ${report.domains.join(', ')}`);
  out.push('');
  if (report.notes.length) {
    out.push('## Notes', '');
    for (const n of report.notes) out.push(`- ${n.text}`);
    out.push('');
  }
  out.push('## Causes', '');
  for (const c of report.causes) {
    out.push(`### ${STATUS_EMOJI[c.status]} ${STATUS_LABEL[c.status]}: ${c.title}`, '', `${c.summary} (${code(c.id)})`, '');
    for (const b of c.because) out.push(`- ${b}`);
    // Each section opens with a blank line, unless the block already ends with one.
    const gap = () => (out[out.length - 1] === '' ? [] : ['']);
    if (c.evidence.length) {
      out.push(...gap(), '| fact | value | source |', '|---|---|---|');
      for (const e of evidenceLines(c.evidence)) out.push(`| ${code(e.fact)} | ${code(e.value)} | ${placesOf(e.sources, 3, e.count).replace(/\|/g, '\\|')}${e.at ? ` @ ${e.at}` : ''} |`);
    }
    if (c.nextSteps.length) {
      out.push(...gap(), '**Next steps**', '');
      for (const s of c.nextSteps) out.push(`1. ${s}`);
    }
    if (c.missing.length) out.push(...gap(), `Still needed: ${c.missing.map((m) => (factWords(m) ? `${factWords(m)} (${code(m)})` : code(m))).join('; ')}`);
    out.push(...gap(), `_Source: ${sourceLine(c)}_`, '');
  }
  if (report.conflicts.length) {
    out.push('## Conflicting evidence', '');
    for (const k of report.conflicts) for (const v of k.values) out.push(`- ${code(k.fact)} = ${code(v.value)} — ${v.source}`);
    out.push('');
  }
  if (report.questions.length) {
    out.push('## Questions', '');
    for (const q of report.questions) out.push(`- **${q.text}** (${code(q.id)}; answer: ${answerHint(q)})`);
    out.push('');
  }
  if (report.problems.length) {
    out.push('## Inputs that could not be used', '');
    for (const p of report.problems) out.push(`- ${code(p.input + (p.member ? ` › ${p.member}` : ''))}: ${p.message}`);
    out.push('');
  }
  if (report.escalation) {
    out.push('## Apple Feedback draft', '', '```text', report.escalation.feedbackDraft.trimEnd(), '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
