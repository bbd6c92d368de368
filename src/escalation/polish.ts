import type OpenAI from 'openai';
import type { Report } from '../report/types.js';
import { feedbackContext } from './context.js';
import { promptFile, renderFeedbackDraft } from './draft.js';
import { redactText, secretsOf } from '../report/render/audience.js';
import { verifyDraft } from './verify.js';

export const DEFAULT_POLISH_MODEL = 'gpt-4o-mini';
export const DEFAULT_POLISH_TIMEOUT_MS = 20_000;

export interface PolishOptions {
  /** Redacted draft for a wider channel (see renderFeedbackDraft). */
  redact?: boolean;
  /** Where settings are read from (default process.env): OPENAI_API_KEY, OPENAI_BASE_URL, PUSHCHECK_OPENAI_MODEL, PUSHCHECK_OPENAI_TIMEOUT_MS. */
  env?: NodeJS.ProcessEnv;
  apiKey?: string;
  baseURL?: string;
  model?: string;
  /** Whole-call deadline in milliseconds, retries included (default 20 s). */
  timeoutMs?: number;
  /** Retries the client makes on connection errors and 5xx (default 1). */
  maxRetries?: number;
}

export interface PolishResult {
  draft: string;
  /** true only when the model's rewrite passed verification and is the draft returned. */
  polished: boolean;
  /** Why the template draft was returned instead (no key, timeout, API error, rejected rewrite). */
  reason?: string;
  model?: string;
}

interface Settings {
  apiKey?: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

function settings(options: PolishOptions): Settings {
  const env = options.env ?? process.env;
  const fromEnv = Number(env.PUSHCHECK_OPENAI_TIMEOUT_MS);
  return {
    apiKey: options.apiKey ?? (env.OPENAI_API_KEY || undefined),
    baseURL: options.baseURL ?? (env.OPENAI_BASE_URL || undefined),
    model: options.model ?? (env.PUSHCHECK_OPENAI_MODEL || DEFAULT_POLISH_MODEL),
    timeoutMs: options.timeoutMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_POLISH_TIMEOUT_MS),
    maxRetries: options.maxRetries ?? 1,
  };
}

type OpenAIClass = typeof OpenAI;

/** Models sometimes wrap the answer in a code fence despite being told not to. */
function unfence(text: string): string {
  const m = /^\s*```[a-z]*\n([\s\S]*?)\n```\s*$/.exec(text);
  return m ? m[1] : text.trim();
}

function describeError(OpenAI: OpenAIClass, err: unknown, s: Settings): string {
  if (err instanceof OpenAI.APIConnectionTimeoutError || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')))
    return `the model did not answer within ${s.timeoutMs / 1000} s`;
  if (err instanceof OpenAI.APIUserAbortError) return `the model did not answer within ${s.timeoutMs / 1000} s`;
  if (err instanceof OpenAI.APIError && err.status) return `the model endpoint answered HTTP ${err.status}`;
  if (err instanceof OpenAI.APIConnectionError) return 'the model endpoint could not be reached';
  return `the model call failed (${err instanceof Error ? err.name : 'unknown error'})`;
}

/**
 * The Feedback draft, rewritten by an OpenAI-compatible model when one is
 * configured and its rewrite keeps every value; otherwise the template
 * draft with the reason. The model gets the finished draft and a fixed
 * instruction to reword it: it is never asked which cause applies.
 */
export async function polishDraft(report: Report, options: PolishOptions = {}): Promise<PolishResult> {
  const s = settings(options);
  const template = renderFeedbackDraft(report, { redact: options.redact });
  const fallback = (reason: string): PolishResult => ({ draft: template, polished: false, reason: `${reason}; the template draft is used` });
  if (!s.apiKey) return fallback('OPENAI_API_KEY is not set');

  // Loaded only when a model is configured: the client library is most of what a CLI run would otherwise load.
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: s.apiKey, baseURL: s.baseURL, timeout: s.timeoutMs, maxRetries: s.maxRetries });
  let answer: string | null | undefined;
  try {
    const completion = await client.chat.completions.create(
      {
        model: s.model,
        temperature: 0.2,
        messages: [
          { role: 'system', content: promptFile('polish-system.md') },
          { role: 'user', content: template },
        ],
      },
      { signal: AbortSignal.timeout(s.timeoutMs) },
    );
    answer = completion.choices?.[0]?.message?.content;
  } catch (err) {
    return fallback(describeError(OpenAI, err, s));
  }
  if (!answer) return fallback('the model returned no text');

  const candidate = unfence(answer);
  const secrets = secretsOf(report);
  const ctx = feedbackContext(report);
  const hide = (r: { label: string; value: string }) => ({ label: r.label, value: redactText(r.value, secrets) });
  const required = options.redact ? ctx.required.map(hide) : ctx.required;
  const linked = options.redact ? ctx.linked.map((l) => ({ anchor: redactText(l.anchor, secrets), values: l.values.map(hide) })) : ctx.linked;
  // Unredacted, a value from the facts may appear even if the template did not show it;
  // redacted, only what the redacted template shows.
  const allowed = options.redact
    ? template
    : [template, ...report.facts.flatMap((f) => [String(f.value), f.at ?? '', ...Object.values(f.attrs ?? {})])].join('\n');
  const verdict = verifyDraft(candidate, { required, allowed, template, linked });
  if (!verdict.ok) return fallback(`the model's rewrite was rejected: ${verdict.reason}`);
  return { draft: candidate.endsWith('\n') ? candidate : `${candidate}\n`, polished: true, model: s.model };
}
