import type { Report } from '../types.js';
import { writeMarkdown } from './doc.js';
import { fullNodes } from './full.js';
import type { WordsOptions } from './places.js';
import { summaryNodes } from './summary.js';
import type { Detail } from './text.js';

export interface MarkdownOptions extends WordsOptions {
  detail?: Detail;
  /** Where the full detail is, said at the end of the summary. */
  fullHint?: string;
}

/** The Markdown rendering: for tickets and wikis; with detail "full", the Slack "Show all evidence" file. */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const nodes = opts.detail === 'full' ? fullNodes(report, { ...opts, answers: 'words' }) : summaryNodes(report, { ...opts, answers: 'words', sources: true });
  return writeMarkdown(nodes);
}
