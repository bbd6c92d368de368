import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Every setting comes from the environment (and an optional .env). A
 * missing or malformed one is a single ConfigError naming the variable.
 * README.md ("Slack") lists them all.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Trigger = 'member' | 'mention';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const number = (def: number) =>
  z.preprocess(blankToUndefined, z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be above 0' }).default(def));

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalText.refine((v) => !v || v.startsWith('xoxb-'), 'must be a bot token starting with xoxb-'),
  SLACK_APP_TOKEN: optionalText.refine((v) => !v || v.startsWith('xapp-'), 'must be an app-level token starting with xapp- (with the connections:write scope)'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: optionalText.refine((v) => !v || /^https?:\/\/[^/]+/.test(v), 'must be an http(s) URL such as https://slack.com/api/'),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535, { error: 'must be a port number from 1 to 65535' }).default(3000),
  ),
  PUSHCHECK_DB: optionalText,
  PUSHCHECK_DATABASE_URL: optionalText.refine(
    (v) => !v || /^postgres(ql)?:\/\/./.test(v),
    'must be a URL such as postgres://user:password@host:5432/pushcheck',
  ),
  PUSHCHECK_SCAN_STALE_SECONDS: number(30),
  PUSHCHECK_RETENTION_DAYS: number(30),
  PUSHCHECK_MAX_FILE_MB: number(2048),
  PUSHCHECK_DOWNLOAD_IDLE_SECONDS: number(30),
  PUSHCHECK_DOWNLOAD_TIMEOUT_MINUTES: number(15),
  PUSHCHECK_TRIGGER: optionalText.pipe(z.enum(['member', 'mention']).default('member')),
  PUSHCHECK_CHANNEL_TRIGGERS: optionalText.refine(
    (v) => !v || v.split(',').every((p) => /^\s*[A-Z0-9]+\s*=\s*(member|mention)\s*$/.test(p)),
    'must look like C0123ABC=mention,C0456DEF=member',
  ),
  LOG_LEVEL: optionalText.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
});

export interface CommonConfig {
  dbPath: string;
  /** The shared Postgres store (several replicas); the SQLite file at dbPath otherwise. */
  databaseUrl?: string;
  /** How long a replica may be silent before another one takes over the files it was reading. */
  scanStaleMs: number;
  retentionMs: number;
  maxFileBytes: number;
  /** A download Slack sends nothing for this long is stopped (and the thread told). */
  downloadIdleMs: number;
  /** A download taking longer than this in all is stopped (and the thread told). */
  downloadTimeoutMs: number;
  logLevel: string;
}

export interface SlackConfig extends CommonConfig {
  mode: 'socket' | 'http';
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  port: number;
  /** Web API base URL ending in "/", e.g. https://slack.com/api/. */
  apiUrl?: string;
  defaultTrigger: Trigger;
  channelTriggers: Record<string, Trigger>;
}

export type Config = SlackConfig | (CommonConfig & { mode: 'terminal' });

/** Loads ./.env into process.env when present (Node's own loader; existing variables win). */
export function loadDotEnv(dir = process.cwd()): boolean {
  const file = join(dir, '.env');
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

export function parseConfig(env: NodeJS.ProcessEnv, defaults: { dbPath: string }): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  const common: CommonConfig = {
    dbPath: e.PUSHCHECK_DB ?? defaults.dbPath,
    ...(e.PUSHCHECK_DATABASE_URL ? { databaseUrl: e.PUSHCHECK_DATABASE_URL } : {}),
    scanStaleMs: Math.round(e.PUSHCHECK_SCAN_STALE_SECONDS * 1000),
    retentionMs: e.PUSHCHECK_RETENTION_DAYS * 86_400_000,
    maxFileBytes: Math.round(e.PUSHCHECK_MAX_FILE_MB * 1024 * 1024),
    downloadIdleMs: Math.round(e.PUSHCHECK_DOWNLOAD_IDLE_SECONDS * 1000),
    downloadTimeoutMs: Math.round(e.PUSHCHECK_DOWNLOAD_TIMEOUT_MINUTES * 60_000),
    logLevel: e.LOG_LEVEL,
  };
  if (!e.SLACK_BOT_TOKEN) {
    if (e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET)
      throw new ConfigError('SLACK_BOT_TOKEN', 'is not set, but other Slack settings are: set the bot token (xoxb-…) from OAuth & Permissions');
    return { ...common, mode: 'terminal' };
  }
  // Socket Mode unless only a signing secret is given (HTTP behind a load balancer).
  const mode = e.SLACK_APP_TOKEN ? 'socket' : e.SLACK_SIGNING_SECRET ? 'http' : undefined;
  if (!mode) throw new ConfigError('SLACK_APP_TOKEN', 'is not set: set it (xapp-…, Socket Mode) or set SLACK_SIGNING_SECRET to receive events over HTTP');
  const channelTriggers: Record<string, Trigger> = {};
  for (const pair of e.PUSHCHECK_CHANNEL_TRIGGERS?.split(',') ?? []) {
    const [id, trigger] = pair.split('=').map((s) => s.trim());
    channelTriggers[id!] = trigger as Trigger;
  }
  return {
    ...common,
    mode,
    botToken: e.SLACK_BOT_TOKEN,
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
    port: e.PORT,
    ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/` } : {}),
    defaultTrigger: e.PUSHCHECK_TRIGGER,
    channelTriggers,
  };
}

export function triggerFor(config: Pick<SlackConfig, 'defaultTrigger' | 'channelTriggers'>, channel: string): Trigger {
  return config.channelTriggers[channel] ?? config.defaultTrigger;
}
