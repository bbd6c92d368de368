import type { Report } from '../types.js';
import { writeText } from './doc.js';
import { fullNodes } from './full.js';
import type { WordsOptions } from './places.js';
import { summaryNodes } from './summary.js';

export type Detail = 'summary' | 'full';

export interface TextOptions extends WordsOptions {
  /** summary (default): the 30-second view; full: everything the JSON holds, in words. */
  detail?: Detail;
  /** ANSI colour for a terminal. */
  color?: boolean;
  /** How to answer questions where the text is read: "cli" (default) shows `--answer ID=VALUE`. */
  answers?: 'cli' | 'words';
  /** Where the full detail is, said at the end of the summary. */
  fullHint?: string;
}

/** The terminal rendering: the 30-second view, or everything with detail "full". */
export function renderText(report: Report, opts: TextOptions = {}): string {
  const answers = opts.answers ?? 'cli';
  const nodes =
    opts.detail === 'full'
      ? fullNodes(report, { ...opts, answers })
      : summaryNodes(report, { ...opts, answers, fullHint: opts.fullHint ?? 'run again with --detail full' });
  return writeText(nodes, { ...(opts.color ? { color: true } : {}) });
}
