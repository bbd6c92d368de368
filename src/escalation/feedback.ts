import type { Report } from '../report/types.js';
import { renderTimelinePng } from '../timeline/png.js';
import { feedbackContext } from './context.js';
import { polishDraft, type PolishOptions } from './polish.js';

/** File name the picture is attached under, in the CLI and in Slack; the draft refers to it. */
export const TIMELINE_FILE_NAME = 'push-timeline.png';

export interface FeedbackPackage {
  /** The draft to file: the model's rewrite when it passed verification, else the template. */
  draft: string;
  polished: boolean;
  /** Why the template was used (no key, timeout, API error, rejected rewrite). */
  reason?: string;
  /** What Apple asks for that the evidence does not hold yet. */
  missing: string[];
  /** The collection checklist as plain lines ("[x] …" / "[ ] …"), for a chat message of its own. */
  checklist: string;
  /** The timeline picture, or null with fewer than two timed events. */
  timeline: Buffer | null;
}

/** The checklist on its own, e.g. for Slack's message beside the draft snippet. */
export function feedbackChecklist(report: Report): string {
  return feedbackContext(report)
    .checklist.map((c) => `[${c.mark}] ${c.item}${c.note ? ` (${c.note})` : ''}`)
    .join('\n');
}

/**
 * Everything `pushcheck feedback` and Slack's "Draft Apple Feedback" need:
 * the (optionally polished, optionally redacted) draft, the checklist and
 * the timeline picture. Never throws for a model problem; works offline.
 */
export async function prepareFeedback(report: Report, options: PolishOptions & { timeline?: boolean } = {}): Promise<FeedbackPackage> {
  const polished = await polishDraft(report, options);
  const timeline = options.timeline === false ? null : renderTimelinePng(report);
  const attachment = timeline ? `\nAttachments\n- ${TIMELINE_FILE_NAME}: the events above on one time axis (UTC)\n` : '';
  return {
    draft: polished.draft + attachment,
    polished: polished.polished,
    ...(polished.reason ? { reason: polished.reason } : {}),
    missing: feedbackContext(report).missing,
    checklist: feedbackChecklist(report),
    timeline,
  };
}
