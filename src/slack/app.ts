import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger, type Receiver, type webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CaseService } from '../case/index.js';
import type { SlackConfig } from './config.js';
import type { SlackDeps } from './context.js';
import { dedupeMiddleware } from './dedupe.js';
import { healthRoute, type HealthSource } from './health.js';
import { Inflight } from './inflight.js';
import { LISTENERS } from './listeners/index.js';
import type { ThreadBook } from './threads.js';
import { replicaId } from './scanKeeper.js';

/**
 * Web API retries for interactive work: a few quick attempts rather than
 * the client's default ten retries over thirty minutes, which would hold a
 * thread's lock far longer than anyone waits in Slack.
 */
export const INTERACTIVE_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2000, randomize: true };

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
  return new HTTPReceiver({ signingSecret: config.signingSecret!, logger: log, endpoints: '/slack/events', ...(health ? { customRoutes: [healthRoute(health)] } : {}) });
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
  retryConfig?: webApi.RetryOptions;
  downloadAttempts?: number;
  fetchImpl?: typeof fetch;
  /** This process's name in the scans it records (default: host, pid and a nonce). */
  replica?: string;
}

/** The Bolt app with every pushcheck listener, on whatever receiver it is given. */
export function createSlackApp(opts: CreateAppOptions): { app: App; deps: SlackDeps } {
  const deps: SlackDeps = {
    cases: opts.cases,
    threads: opts.threads,
    config: opts.config,
    logger: opts.logger,
    work: new Inflight(),
    replica: opts.replica ?? replicaId(),
    // "Every few seconds": progress is a courtesy, and chat.update shares a thread's rate limit with the answers.
    progressIntervalMs: opts.progressIntervalMs ?? 3000,
    progressEdits: new Map(),
    downloadAttempts: opts.downloadAttempts ?? 3,
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
  };
  const app = new App({
    token: opts.config.botToken,
    receiver: opts.receiver,
    logger: boltLogger(opts.logger),
    ...(opts.botId && opts.botUserId ? { botId: opts.botId, botUserId: opts.botUserId } : {}),
    clientOptions: {
      ...(opts.config.apiUrl ? { slackApiUrl: opts.config.apiUrl } : {}),
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
