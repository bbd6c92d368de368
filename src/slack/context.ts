import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Answer } from '../case/index.js';
import type { CaseService } from '../case/index.js';
import type { ProgressPacer } from './edits.js';
import type { Inflight } from './inflight.js';
import type { SlackConfig } from './config.js';
import type { ThreadBook } from './threads.js';
import type { CaseViews } from './views.js';
import type { Runner } from './workers/runner.js';

/** What every listener needs; built once in app.ts. */
export interface SlackDeps {
  /** The diagnoses: evidence, answers, reports. */
  cases: CaseService;
  /** Each thread's latest view, and everything needing a case's report, done off this thread (see views.ts). */
  views: CaseViews;
  /** Where files are read and cases evaluated: worker threads, or inline (see workers/pool.ts). */
  runner: Runner;
  /** The bot's own book of its threads (summary message, posts, deliveries handled). */
  threads: ThreadBook;
  config: Pick<SlackConfig, 'botToken' | 'apiUrl' | 'maxFileBytes' | 'downloadIdleMs' | 'downloadTimeoutMs' | 'defaultTrigger' | 'channelTriggers'>;
  logger: Logger;
  /** Answers to a thread waiting for it to be free, recorded together when it is (see answer.ts). */
  answersWaiting: Map<string, { answers: Answer[]; done: Promise<void> }>;
  /** Work started and not finished (waited for when the process stops). */
  work: Inflight;
  /** This process's name in the scans it records (see scanKeeper.ts). */
  replica: string;
  /** Minimum time between progress edits of a thread's summary (chat.update is rate limited). */
  progressIntervalMs: number;
  /** When each thread's summary last showed progress (thread key → ms). */
  progressEdits: Map<string, number>;
  /** Progress edits of all threads, paced together under Slack's edit rate. */
  pacer: ProgressPacer;
  /** The client for summary edits: a 429 comes back at once (the pacer or the report's own retry waits), never pausing every other call. */
  edits: webApi.WebClient;
  /** Tries of the report's edit of the summary before it is posted as a new message. */
  summaryEditAttempts: number;
  /** The longest Retry-After the report's edit waits out before trying again. */
  maxRetryAfterMs: number;
  /** Download attempts for 429/5xx before telling the thread. */
  downloadAttempts: number;
}

export function threadKey(channel: string, threadTs: string): string {
  return `${channel}:${threadTs}`;
}

export function splitKey(key: string): { channel: string; threadTs: string } {
  const i = key.indexOf(':');
  return { channel: key.slice(0, i), threadTs: key.slice(i + 1) };
}

/** Slack's "1700000000.123456" as ISO 8601: answers carry the time of the click, not the server's clock. */
export function slackTsToIso(ts: string | undefined): string {
  const n = Number(ts);
  return Number.isFinite(n) && n > 0 ? new Date(Math.round(n * 1000)).toISOString() : new Date().toISOString();
}
