import type { Report } from '../types.js';
import { answerHint, deviceLine, evidenceLines, factWords, placesOf, sourceLine, STATUS_LABEL } from './words.js';

export interface TextOptions {
  /** Show ruled-out causes' reasons too (default true). */
  showRuledOut?: boolean;
  /** ANSI colour for a terminal. */
  color?: boolean;
}

function describeFact(name: string): string {
  const d = factWords(name);
  return d ? `${d} [${name}]` : name;
}

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', green: '\u001b[32m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };

/** The terminal rendering: plain text, one cause per block, wrapped by the terminal. */
export function renderText(report: Report, opts: TextOptions = {}): string {
  const c = (code: keyof typeof ANSI, s: string) => (opts.color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  out.push(c('bold', `pushcheck: ${report.headline}`));
  const dev = deviceLine(report);
  if (dev) out.push(`Device: ${dev}`);
  if (report.domains.length) out.push(`Looked at: ${report.domains.join(', ')}`);
  out.push('');
  for (const n of report.notes) out.push(c('yellow', `Note: ${n.text}`), ...n.evidence.slice(0, 3).map((e) => c('dim', `  · ${e.source}`)), '');
  for (const cause of report.causes) {
    if (cause.status === 'ruled_out' && opts.showRuledOut === false) continue;
    const colour = cause.status === 'confirmed' ? 'red' : cause.status === 'likely' ? 'yellow' : cause.status === 'ruled_out' ? 'green' : 'dim';
    out.push(`${c(colour, `[${STATUS_LABEL[cause.status]}]`)} ${cause.title}  ${c('dim', `(${cause.id})`)}`);
    for (const b of cause.because) out.push(`  why: ${b}`);
    for (const e of evidenceLines(cause.evidence)) out.push(c('dim', `  · ${e.fact} = ${String(e.value)}  — ${placesOf(e.sources, 3, e.count)}${e.at ? ` @ ${e.at}` : ''}`));
    for (const s of cause.nextSteps) out.push(`  → ${s}`);
    if (cause.missing.length) out.push(c('dim', `  needs: ${cause.missing.map(describeFact).join('; ')}`));
    if (cause.status !== 'ruled_out') out.push(c('dim', `  source: ${sourceLine(cause)}`));
    out.push('');
  }
  if (report.conflicts.length) {
    out.push(c('bold', 'Conflicting evidence'));
    for (const k of report.conflicts) {
      out.push(`  ${k.fact}:`);
      for (const v of k.values) out.push(`    ${String(v.value)}  — ${v.source}`);
    }
    out.push('');
  }
  if (report.questions.length) {
    out.push(c('bold', 'Questions only a person can answer'));
    for (const q of report.questions) out.push(`  ${q.id}: ${q.text}  [${answerHint(q)}]`);
    out.push(c('dim', '  (answer with --answer ID=VALUE)'));
    out.push('');
  }
  if (report.problems.length) {
    out.push(c('bold', 'Inputs that could not be used'));
    for (const p of report.problems) out.push(`  ${p.input}${p.member ? ` › ${p.member}` : ''}: ${p.message}`);
    out.push('');
  }
  if (report.escalation) {
    out.push(c('bold', 'Apple Feedback draft'));
    out.push(report.escalation.feedbackDraft.trimEnd());
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
