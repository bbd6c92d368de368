import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackConfig } from './config.js';
import { TokenError } from './tokenError.js';

export { TokenError };

/** Slack's answers that mean the token itself is no good, with what to do about each. */
const REFUSED: Record<string, string> = {
  invalid_auth: 'Slack does not recognise it (invalid_auth)',
  not_authed: 'Slack received no token (not_authed)',
  token_revoked: 'it was revoked (token_revoked): the app was uninstalled or the token was regenerated',
  token_expired: 'it has expired (token_expired): token rotation is on, and pushcheck needs a token that does not expire',
  account_inactive: 'the app or its workspace is no longer active (account_inactive)',
  team_disabled: 'its workspace is disabled (team_disabled)',
  user_removed_from_team: 'the app was removed from the workspace (user_removed_from_team)',
  not_allowed_token_type: 'it is the wrong kind of token (not_allowed_token_type)',
  invalid_token: 'it is not a valid token (invalid_token)',
};

const WHERE: Record<TokenError['variable'], string> = {
  SLACK_BOT_TOKEN: 'set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) under OAuth & Permissions, reinstalling the app if it was removed',
  SLACK_APP_TOKEN: 'set SLACK_APP_TOKEN to an app-level token (xapp-…, scope connections:write) from Basic Information › App-Level Tokens',
};

/** The TokenError for Slack's answer to a call made with `variable`'s token, or undefined when the failure is not the token's. */
export function tokenError(variable: TokenError['variable'], error: unknown): TokenError | undefined {
  const code =
    (error as { code?: string; data?: { error?: unknown } }).code === webApi.ErrorCode.PlatformError
      ? (error as { data: { error?: unknown } }).data.error
      : undefined;
  if (typeof code !== 'string' || !(code in REFUSED)) return undefined;
  const kind = variable === 'SLACK_BOT_TOKEN' ? 'the bot token' : 'the app-level token';
  return new TokenError(variable, code, `Slack refused ${kind}: ${REFUSED[code]}. To fix it, ${WHERE[variable]}.`);
}

/** Why a call did not reach Slack, in a few words for the log (never the token). */
function unreachableReason(error: unknown): string {
  const e = error as {
    code?: string;
    statusCode?: number;
    retryAfter?: number;
    original?: { cause?: { code?: string; message?: string }; message?: string };
    data?: { error?: unknown };
    message?: string;
  };
  if (e.code === webApi.ErrorCode.HTTPError) return `HTTP ${e.statusCode}`;
  if (e.code === webApi.ErrorCode.RateLimitedError) return `rate limited for ${e.retryAfter} s`;
  if (e.code === webApi.ErrorCode.RequestError) return e.original?.cause?.code ?? e.original?.cause?.message ?? e.original?.message ?? 'no answer';
  if (e.code === webApi.ErrorCode.PlatformError) return `Slack answered ${String(e.data?.error)}`;
  return e.message ?? String(error);
}

/** Failures worth waiting out: no answer, Slack's 5xx and 429, and its own "try again" codes. */
function transient(error: unknown): boolean {
  const e = error as { code?: string; statusCode?: number; data?: { error?: unknown } };
  if (e.code === webApi.ErrorCode.RequestError || e.code === webApi.ErrorCode.RateLimitedError) return true;
  if (e.code === webApi.ErrorCode.HTTPError) return (e.statusCode ?? 0) >= 500 || e.statusCode === 429 || e.statusCode === 408;
  if (e.code === webApi.ErrorCode.PlatformError)
    return ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited'].includes(String(e.data?.error));
  return false;
}

export interface ConnectOptions {
  logger: Logger;
  /** First wait after a failed attempt; doubles up to maxDelayMs (default 1 s and 60 s). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Stops the retries (the process is stopping). */
  signal?: AbortSignal;
}

export interface SlackIdentity {
  botId: string;
  botUserId: string;
  team?: string;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * Calls `attempt` until Slack answers: while Slack cannot be reached (no
 * connection, 5xx, 429) it says so in the log and tries again with a growing
 * wait; a refused token ends it at once with a TokenError.
 */
export async function untilAnswered<T>(
  what: string,
  variable: TokenError['variable'],
  attempt: () => Promise<T>,
  opts: ConnectOptions & { apiUrl: string },
): Promise<T> {
  const first = opts.firstDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 60_000;
  for (let n = 1; ; n++) {
    try {
      const result = await attempt();
      if (n > 1) opts.logger.info({ attempts: n }, `Slack answered ${what}`);
      return result;
    } catch (e) {
      const refused = tokenError(variable, e);
      if (refused) throw refused;
      if (!transient(e)) throw e;
      const retryAfterMs = ((e as { retryAfter?: number }).retryAfter ?? 0) * 1000;
      const wait = Math.max(retryAfterMs, Math.min(max, first * 2 ** (n - 1)));
      opts.logger.warn(
        { attempt: n, reason: unreachableReason(e), retryInMs: wait },
        `Slack is unreachable at ${opts.apiUrl} (${what}: ${unreachableReason(e)}); trying again in ${Math.round(wait / 100) / 10} s`,
      );
      await delay(wait, opts.signal);
    }
  }
}

/**
 * Checks the tokens before the bot starts serving: auth.test for the bot
 * token (its answer gives the ids Bolt would otherwise look up itself, in a
 * call whose failure it cannot report), and in Socket Mode
 * apps.connections.open for the app token. Retries while Slack is
 * unreachable; throws TokenError when a token is refused.
 */
export async function connectToSlack(config: Pick<SlackConfig, 'mode' | 'botToken' | 'appToken' | 'apiUrl'>, opts: ConnectOptions): Promise<SlackIdentity> {
  const apiUrl = config.apiUrl ?? 'https://slack.com/api/';
  const clientOptions = { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), retryConfig: { retries: 0 }, timeout: 15_000, logger: quiet };
  const bot = new webApi.WebClient(config.botToken, clientOptions);
  const auth = await untilAnswered('auth.test', 'SLACK_BOT_TOKEN', () => bot.auth.test(), { ...opts, apiUrl });
  if (!auth.bot_id || !auth.user_id)
    throw new TokenError('SLACK_BOT_TOKEN', 'not_a_bot_token', `Slack says this token belongs to no bot user: ${WHERE.SLACK_BOT_TOKEN}.`);
  if (config.mode === 'socket' && config.appToken) {
    const app = new webApi.WebClient(config.appToken, clientOptions);
    await untilAnswered('apps.connections.open', 'SLACK_APP_TOKEN', () => app.apps.connections.open(), { ...opts, apiUrl });
  }
  return { botId: auth.bot_id, botUserId: auth.user_id, ...(auth.team ? { team: auth.team } : {}) };
}

/** The web client's own logger would print each failed attempt again, with the request; ours says it once. */
const quiet: webApi.Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => undefined,
};
