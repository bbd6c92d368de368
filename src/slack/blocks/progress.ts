import type { Progress } from '../../case/index.js';
import { mb } from '../download.js';
import { esc } from './report.js';
import type { Block } from './budget.js';

export interface ProgressState {
  file: string;
  /** Which of several files (1-based) and how many. */
  index: number;
  count: number;
  stage: Progress['stage'];
  bytesRead: number;
  totalBytes?: number;
  member?: string;
}

const STAGE = { downloading: 'downloading', reading: 'reading', scanning: 'scanning logs', done: 'done' } as const;

export function progressLine(p: ProgressState): string {
  const amount = p.totalBytes ? `${mb(p.bytesRead)} of ${mb(p.totalBytes)}` : mb(p.bytesRead);
  const which = p.count > 1 ? ` (file ${p.index} of ${p.count})` : '';
  return `:hourglass_flowing_sand: Reading *${esc(p.file)}*${which}: ${amount} read — ${STAGE[p.stage]}${p.member ? ` (${esc(p.member)})` : ''}`;
}

/** The summary while a bundle is read: what, how far, which stage; the last headline stays visible. */
export function progressBlocks(p: ProgressState, lastHeadline?: string): { text: string; blocks: Block[] } {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'pushcheck diagnosis' } },
    { type: 'section', text: { type: 'mrkdwn', text: progressLine(p) } },
  ];
  if (lastHeadline) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `So far: ${esc(lastHeadline)}` }] });
  return { text: progressLine(p).replace(/[*:]/g, ''), blocks };
}
