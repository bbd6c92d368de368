import type { Logger } from 'pino';
import type { CaseService } from '../case/index.js';
import type { Inflight } from './inflight.js';
import type { SlackConfig } from './config.js';
import type { ThreadBook } from './threads.js';

/** What every listener needs; built once in app.ts. */
export interface SlackDeps {
  /** The diagnoses: evidence, answers, reports. */
  cases: CaseService;
  /** The bot's own book of its threads (summary message, posts, deliveries handled). */
  threads: ThreadBook;
  config: Pick<SlackConfig, 'botToken' | 'apiUrl' | 'maxFileBytes' | 'defaultTrigger' | 'channelTriggers'>;
  logger: Logger;
  /** Work started and not finished (waited for when the process stops). */
  work: Inflight;
  /** This process's name in the scans it records (see scanKeeper.ts). */
  replica: string;
  /** Minimum time between progress edits of a thread's summary (chat.update is rate limited). */
  progressIntervalMs: number;
  /** When each thread's summary last showed progress (thread key → ms). */
  progressEdits: Map<string, number>;
  /** Download attempts for 429/5xx before telling the thread. */
  downloadAttempts: number;
  fetchImpl?: typeof fetch;
}

export function sessionKey(channel: string, threadTs: string): string {
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

