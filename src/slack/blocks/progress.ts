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

/** "Reading bundle.tar.gz (file 1 of 2): 12 MB of 80 MB read — scanning logs (logs/apsd.log)", with mrkdwn emphasis or without. */
function progressWords(p: ProgressState, mrkdwn: boolean): string {
  const amount = p.totalBytes ? `${mb(p.bytesRead)} of ${mb(p.totalBytes)}` : mb(p.bytesRead);
  const which = p.count > 1 ? ` (file ${p.index} of ${p.count})` : '';
  const name = mrkdwn ? `*${esc(p.file)}*` : p.file;
  const member = p.member ? ` (${mrkdwn ? esc(p.member) : p.member})` : '';
  return `Reading ${name}${which}: ${amount} read — ${STAGE[p.stage]}${member}`;
}

function progressLine(p: ProgressState): string {
  return progressWords(p, true);
}

/** The summary while a bundle is read: what, how far, which stage; the last headline stays visible. */
export function progressBlocks(p: ProgressState, lastHeadline?: string): { text: string; blocks: Block[] } {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'pushcheck diagnosis' } },
    { type: 'section', text: { type: 'mrkdwn', text: `:hourglass_flowing_sand: ${progressLine(p)}` } },
  ];
  if (lastHeadline) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `So far: ${esc(lastHeadline)}` }] });
  // The notification and screen-reader text: plain words, no emoji codes or mrkdwn.
  return { text: `pushcheck: ${progressWords(p, false)}`, blocks };
}

/** The summary after a read whose diagnosis could not be worked out, when this process has no earlier report of the thread to show again. */
export function unfinishedBlocks(lastHeadline?: string): { text: string; blocks: Block[] } {
  const words = 'The diagnosis could not be brought up to date after the read: the message below says why.';
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'pushcheck diagnosis' } },
    { type: 'section', text: { type: 'mrkdwn', text: `:x: ${words}` } },
  ];
  if (lastHeadline) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `So far: ${esc(lastHeadline)}` }] });
  return { text: `pushcheck: ${words}`, blocks };
}
