import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Escalation, Report } from '../report/types.js';
import { feedbackContext, type FeedbackContext } from './context.js';
import { redactText, secretsOf } from '../report/render/audience.js';

/** The template engine, loaded when a draft is written (most runs write none). */
type MustacheApi = typeof import('mustache').default;
let mustacheLib: MustacheApi | undefined;
const mustache = () => (mustacheLib ??= createRequire(import.meta.url)('mustache') as MustacheApi);

export { feedbackContext } from './context.js';

function defaultPromptsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts');
}

const cache = new Map<string, string>();
/** A file from prompts/, read once per process. */
export function promptFile(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(defaultPromptsDir(), name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

export interface DraftOptions {
  /**
   * false (default): the full draft for Apple, which needs the real values.
   * true: for a wider channel; tokens, UDIDs and PushMagic shortened, serials hidden.
   */
  redact?: boolean;
}

/** The Feedback draft from prompts/feedback.md, filled with the report's facts only. */
export function renderFeedbackDraft(report: Report, options: DraftOptions = {}): string {
  const full = renderTemplate(feedbackContext(report));
  return options.redact ? redactText(full, secretsOf(report)) : full;
}

function renderTemplate(ctx: FeedbackContext): string {
  // No HTML escaping: the draft is plain text pasted into Feedback Assistant.
  return mustache().render(promptFile('feedback.md'), ctx, {}, { escape: (s: string) => s });
}

/** What build.ts puts under report.escalation: the full template draft and what is still missing. */
export function buildEscalation(report: Report): Escalation {
  const ctx = feedbackContext(report);
  return { feedbackDraft: renderTemplate(ctx), missing: ctx.missing };
}
