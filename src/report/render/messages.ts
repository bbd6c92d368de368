import { formatTime } from '../time.js';

/**
 * A chat message given as evidence is stored under a label naming who wrote
 * it and the message's timestamp. Cases stored with it must still read,
 * so the label stays as it is; this module is the one place that writes it
 * and turns it back into words. It lives with the renderers because every
 * text shown outside the chat (the attached report, the Feedback draft for
 * Apple) must name the message without the chat front end's help.
 */
export function messageLabel(user: string | undefined, ts: string): string {
  return `message from ${user ?? 'someone'} at ${ts}`;
}

const LABEL = /^message from ([UW][A-Z0-9]+|someone) at (\d{9,11})(?:\.(\d{1,6}))?$/;

/** The parts of a message label: the author's user id (absent for "someone") and the message's timestamp. */
export function parseMessageLabel(input: string): { user?: string; ts: string } | undefined {
  const m = LABEL.exec(input);
  if (!m) return undefined;
  return { ...(m[1] === 'someone' ? {} : { user: m[1] }), ts: m[2]! };
}

/** A message timestamp ("1763700100.000200", seconds since 1970) as a time people read. */
export function messageTime(ts: string): string {
  const n = Number(ts);
  return Number.isFinite(n) && n > 0 ? formatTime(new Date(Math.floor(n) * 1000).toISOString()) : ts;
}

/** A message label in words without the author's raw id: "a Slack message at 2025-11-21 09:01:40 UTC". */
export function messageWords(input: string): string | undefined {
  const m = parseMessageLabel(input);
  return m ? `a Slack message at ${messageTime(m.ts)}` : undefined;
}
