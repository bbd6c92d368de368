import type { CauseStatus } from '../../engine/diagnose.js';
import { STATUS_EMOJI, STATUS_LABEL } from './words.js';

/**
 * A rendering's layout, written once and printed by two writers (terminal
 * text and Markdown), so the two formats cannot drift apart in content.
 */
export type Node =
  | { t: 'title'; text: string }
  | { t: 'meta'; label: string; text: string }
  | { t: 'heading'; text: string }
  | { t: 'cause'; status: CauseStatus; title: string; aside?: string }
  | { t: 'field'; label: string; items: string[]; ordered?: boolean; more?: string }
  | { t: 'list'; items: string[]; mark?: string }
  | { t: 'para'; text: string; dim?: boolean }
  /** A paragraph that follows the previous one without a blank line in text (Markdown needs one). */
  | { t: 'line'; text: string }
  | { t: 'tree'; lines: { depth: number; text: string }[] }
  | { t: 'code'; text: string }
  | { t: 'gap' };

export interface TextStyle {
  color?: boolean;
}

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', green: '\u001b[32m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };
const TONE: Record<CauseStatus, keyof typeof ANSI> = { confirmed: 'red', likely: 'yellow', open: 'dim', ruled_out: 'green' };

const RULE = '─'.repeat(60);

/** Continuation lines of a field item line up under its first character. */
function hang(prefix: string, text: string): string {
  return `${prefix}${text.split('\n').join(`\n${' '.repeat(prefix.length)}`)}`;
}

export function writeText(nodes: readonly Node[], style: TextStyle = {}): string {
  const c = (code: keyof typeof ANSI, s: string) => (style.color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  for (const n of nodes) {
    switch (n.t) {
      case 'title':
        out.push(c('bold', `pushcheck: ${n.text}`));
        break;
      case 'meta':
        out.push(`${n.label}: ${n.text}`);
        break;
      case 'heading':
        out.push(c('bold', n.text));
        break;
      case 'cause':
        out.push(`${c(TONE[n.status], STATUS_LABEL[n.status])}  ${n.title}${n.aside ? c('dim', `  (${n.aside})`) : ''}`);
        break;
      case 'field': {
        const label = `  ${n.label}: `.padEnd(10);
        n.items.forEach((item, i) => {
          const lead = i === 0 ? label : ' '.repeat(label.length);
          out.push(hang(`${lead}${n.ordered && n.items.length > 1 ? `${i + 1}. ` : ''}`, item));
        });
        if (n.more) out.push(c('dim', `${' '.repeat(label.length)}${n.more}`));
        break;
      }
      case 'list':
        for (const item of n.items) out.push(hang(`  ${n.mark ?? '·'} `, item));
        break;
      case 'para':
        out.push(n.dim ? c('dim', n.text) : n.text);
        break;
      case 'line':
        out.push(n.text);
        break;
      case 'tree':
        for (const l of n.lines) out.push(`${'  '.repeat(l.depth + 2)}${l.text}`);
        break;
      case 'code':
        // Ruled off so the text to copy (the Feedback draft) starts and ends where it is plain to see.
        out.push(RULE, n.text.trimEnd(), RULE);
        break;
      case 'gap':
        if (out.length && out[out.length - 1] !== '') out.push('');
        break;
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Text Markdown would read as HTML (a log's <private>) or as emphasis or code is escaped; the rest stays readable. */
function md(s: string): string {
  return s
    .replace(/([\\`*])/g, '\\$1')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function writeMarkdown(nodes: readonly Node[]): string {
  const out: string[] = [];
  const gap = () => {
    if (out.length && out[out.length - 1] !== '') out.push('');
  };
  let titled = false;
  for (const n of nodes) {
    switch (n.t) {
      case 'title':
        out.push('# pushcheck report', '', `**${md(n.text)}**`, '');
        titled = true;
        break;
      case 'meta':
        out.push(`- ${n.label}: ${md(n.text)}`);
        break;
      case 'heading':
        gap();
        out.push(`## ${md(n.text)}`, '');
        break;
      case 'cause':
        gap();
        out.push(
          `### ${STATUS_EMOJI[n.status]} ${STATUS_LABEL[n.status].charAt(0)}${STATUS_LABEL[n.status].slice(1).toLowerCase()}: ${md(n.title)}${n.aside ? ` _(${md(n.aside)})_` : ''}`,
          '',
        );
        break;
      case 'field':
        gap();
        if (n.items.length === 1 && !n.ordered) out.push(`**${md(n.label)}:** ${md(n.items[0]!).replace(/\n/g, '  \n')}`);
        else {
          out.push(`**${md(n.label)}:**`, '');
          n.items.forEach((item, i) => out.push(`${n.ordered ? `${i + 1}.` : '-'} ${md(item).replace(/\n/g, '  \n   ')}`));
        }
        if (n.more) out.push('', `_${md(n.more)}_`);
        out.push('');
        break;
      case 'list':
        gap();
        for (const item of n.items) out.push(`- ${md(item).replace(/\n/g, '  \n  ')}`);
        out.push('');
        break;
      case 'para':
      case 'line':
        gap();
        out.push(n.t === 'para' && n.dim ? `_${md(n.text)}_` : md(n.text), '');
        break;
      case 'tree':
        gap();
        for (const l of n.lines) out.push(`${'  '.repeat(l.depth)}- ${md(l.text)}`);
        out.push('');
        break;
      case 'code':
        gap();
        out.push('```text', n.text.replace(/```/g, 'ˋˋˋ').trimEnd(), '```', '');
        break;
      case 'gap':
        gap();
        break;
    }
  }
  if (!titled) out.unshift('# pushcheck report', '');
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
