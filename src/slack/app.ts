import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { shippedRules, type CaseService } from '../case/index.js';
import type { SlackConfig } from './config.js';
import type { SlackDeps } from './context.js';
import { dedupeMiddleware } from './dedupe.js';
import { ProgressPacer } from './edits.js';
import { healthRoute, type HealthSource } from './health.js';
import { Inflight } from './inflight.js';
import { LISTENERS } from './listeners/index.js';
import type { ThreadBook } from './threads.js';
import { CaseViews } from './views.js';
import { createRunner } from './workers/pool.js';
import type { Runner } from './workers/runner.js';
import { replicaId } from './scanKeeper.js';

/**
 * Web API retries for interactive work: a few quick attempts rather than
 * the client's default ten retries over thirty minutes, which would hold a
 * thread's lock far longer than anyone waits in Slack.
 */
const INTERACTIVE_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2000, randomize: true };

/** Bolt's logger interface over pino (which redacts secrets). */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const child = log.child({ component: 'bolt' });
  return {
    debug: (...m) => child.debug(m.map(String).join(' ')),
    info: (...m) => child.info(m.map(String).join(' ')),
    warn: (...m) => child.warn(m.map(String).join(' ')),
    error: (...m) => child.error(m.map(String).join(' ')),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * Socket Mode (app token) or HTTP with request signing; see config.ts for
 * the choice. HTTP mode also answers `GET /healthz` for the load balancer.
 */
export function createReceiver(config: SlackConfig, logger: Logger, health?: HealthSource): Receiver {
  const log = boltLogger(logger);
  if (config.mode === 'socket')
    return new SocketModeReceiver({
      appToken: config.appToken!,
      logger: log,
      installerOptions: { clientOptions: { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}) } },
    });
  return new HTTPReceiver({
    signingSecret: config.signingSecret!,
    logger: log,
    endpoints: '/slack/events',
    ...(health ? { customRoutes: [healthRoute(health)] } : {}),
  });
}

export interface CreateAppOptions {
  receiver: Receiver;
  config: SlackDeps['config'];
  cases: CaseService;
  threads: ThreadBook;
  logger: Logger;
  /** Skip auth.test at start-up (tests, or when the ids are known). */
  botId?: string;
  botUserId?: string;
  progressIntervalMs?: number;
  /** Progress edits across all threads per minute (default 20: well under chat.update's ~50, which reports and answers share). */
  progressEditsPerMinute?: number;
  /** Tries of a report's summary edit before it is posted anew (default 4), and the longest Retry-After waited between them (default 30 s). */
  summaryEditAttempts?: number;
  maxRetryAfterMs?: number;
  retryConfig?: webApi.RetryOptions;
  downloadAttempts?: number;
  /** Where files are read and cases evaluated (default: a worker pool sized by PUSHCHECK_WORKERS or the cores; 0: inline). */
  runner?: Runner;
  workers?: number;
  /** This process's name in the scans it records (default: host, pid and a nonce). */
  replica?: string;
}

/** The Bolt app with every pushcheck listener, on whatever receiver it is given. */
export function createSlackApp(opts: CreateAppOptions): { app: App; deps: SlackDeps } {
  const apiUrl = opts.config.apiUrl ? { slackApiUrl: opts.config.apiUrl } : {};
  const runner =
    opts.runner ??
    createRunner({
      ...(opts.workers !== undefined ? { size: opts.workers } : {}),
      ...(opts.cases.rules !== shippedRules() ? { rules: opts.cases.rules } : {}),
    });
  const deps: SlackDeps = {
    cases: opts.cases,
    views: new CaseViews(opts.cases, runner),
    runner,
    threads: opts.threads,
    config: opts.config,
    logger: opts.logger,
    work: new Inflight(),
    answersWaiting: new Map(),
    replica: opts.replica ?? replicaId(),
    // "Every few seconds": progress is a courtesy, and chat.update shares a thread's rate limit with the answers.
    progressIntervalMs: opts.progressIntervalMs ?? 3000,
    progressEdits: new Map(),
    pacer: new ProgressPacer(opts.progressEditsPerMinute ?? 20),
    edits: new webApi.WebClient(opts.config.botToken, {
      ...apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: opts.retryConfig ?? INTERACTIVE_RETRIES,
      timeout: 15_000,
      logger: boltLogger(opts.logger),
    }),
    summaryEditAttempts: opts.summaryEditAttempts ?? 4,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 30_000,
    downloadAttempts: opts.downloadAttempts ?? 3,
  };
  const app = new App({
    token: opts.config.botToken,
    receiver: opts.receiver,
    logger: boltLogger(opts.logger),
    ...(opts.botId && opts.botUserId ? { botId: opts.botId, botUserId: opts.botUserId } : {}),
    clientOptions: {
      ...apiUrl,
      retryConfig: opts.retryConfig ?? INTERACTIVE_RETRIES,
      timeout: 15_000,
    },
  });
  app.use(dedupeMiddleware(opts.threads, opts.logger));
  for (const l of LISTENERS) l.register(app, deps);
  app.error(async (e) => {
    opts.logger.error({ err: e }, 'unhandled error in a listener');
  });
  return { app, deps };
}
