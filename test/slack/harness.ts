import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { App, HTTPReceiver } from '@slack/bolt';
import type { RuleSet } from '../../src/engine/loadRules.js';
import { createLogger } from '../../src/log.js';
import { CaseService } from '../../src/case/index.js';
import { createReceiver, createSlackApp, type CreateAppOptions } from '../../src/slack/app.js';
import { parseConfig, type SlackConfig } from '../../src/slack/config.js';
import type { SlackDeps } from '../../src/slack/context.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { WorkerPool } from '../../src/slack/workers/pool.js';
import { testWorkers } from '../support/built.js';
import type { FakeSlack } from './fakeSlack.js';
import type { PoolOptions } from '../../src/slack/workers/runner.js';
import { afterAll, beforeAll } from 'vitest';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'pushcheck-slack-')), 'sessions.db');
}

/** Signs a request body the way Slack does (v0 HMAC-SHA256 over "v0:ts:body"). */
export function sign(body: string, secret = SIGNING_SECRET, ts = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig };
}

export interface RunningBot {
  url: string;
  app: App;
  deps: SlackDeps;
  store: SqliteStore;
  logs: string[];
  /** POSTs a signed Events API / interactivity / command body. */
  send(body: string, contentType: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  event(event: Record<string, unknown>, opts?: { eventId?: string; retryNum?: number }): Promise<{ status: number; text: string }>;
  interaction(payload: Record<string, unknown>): Promise<{ status: number; text: string }>;
  command(fields: Record<string, string>): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

let eventSeq = 0;

/**
 * The worker threads the bots of one test file share (as a bot's own pool
 * would be shared by its threads): started once per file, not per bot.
 * Each bot's cases stay its own in them (see views.ts).
 */
let shared: WorkerPool | undefined;

/** The real Bolt app in HTTP mode on 127.0.0.1, talking to the fake Slack. */
export async function startBot(
  fake: FakeSlack,
  dbPath: string,
  env: Record<string, string> = {},
  rules?: RuleSet,
  options: Partial<CreateAppOptions> = {},
): Promise<RunningBot> {
  const config = parseConfig(
    { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, ...env },
    { dbPath },
  ) as SlackConfig;
  const logs: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => logs.push(d.toString('utf8')));
  const logger = createLogger({ level: 'debug', destination: sink });
  const store = new SqliteStore({ path: dbPath, retentionMs: config.retentionMs });
  const cases = new CaseService(store, rules ? { rules } : {});
  const receiver = createReceiver(config, logger) as HTTPReceiver;
  // A bot with rules of its own has workers of its own (they hold the rules they evaluate with).
  const own = rules && !options.runner ? new WorkerPool({ rules, ...testWorkers() }) : undefined;
  const runner = options.runner ?? own ?? (shared ??= new WorkerPool({ ...testWorkers() }));
  await runner.ready();
  const { app, deps } = createSlackApp({
    receiver,
    config,
    cases,
    threads: store,
    logger,
    botId: 'BBOT',
    botUserId: 'UBOT',
    progressIntervalMs: 0,
    progressEditsPerMinute: 60_000,
    retryConfig: { retries: 0 },
    downloadAttempts: 2,
    ...options,
    runner,
  });
  const server: Server = createServer(receiver.requestListener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

  const send = async (body: string, contentType: string, headers: Record<string, string> = sign(body)) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
    return { status: res.status, text: await res.text() };
  };
  return {
    url,
    app,
    deps,
    store,
    logs,
    send,
    event(event, opts = {}) {
      const body = JSON.stringify({
        token: 'legacy',
        team_id: 'T1',
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: opts.eventId ?? `Ev${++eventSeq}`,
        event_time: 1700000000,
        event,
      });
      const headers = { ...sign(body), ...(opts.retryNum ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}) };
      return send(body, 'application/json', headers);
    },
    interaction(payload) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return send(body, 'application/x-www-form-urlencoded');
    },
    command(fields) {
      const body = new URLSearchParams({
        token: 'legacy',
        team_id: 'T1',
        api_app_id: 'A1',
        response_url: `${fake.url}/response`,
        trigger_id: 'trig1',
        ...fields,
      }).toString();
      return send(body, 'application/x-www-form-urlencoded');
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      // Let thread work finish before closing the database under it.
      await Promise.race([deps.work.idle(), new Promise((r) => setTimeout(r, 5000))]);
      await own?.close();
      await store.close();
    },
  };
}

/** The summary (blocks) of a chat.update or postMessage call as plain text, for assertions. */
/**
 * A bot with a worker pool of its own (two workers unless `pool` says otherwise) for the enclosing describe:
 * started before its tests, stopped after. Tests that stop or reconfigure the pool touch no other bot's.
 */
export function botWithOwnWorkers(fake: () => FakeSlack, pool: PoolOptions = {}): { bot: RunningBot; pool: WorkerPool } {
  const own = {} as { bot: RunningBot; pool: WorkerPool };
  beforeAll(async () => {
    own.pool = new WorkerPool({ ...testWorkers(), size: 2, ...pool });
    own.bot = await startBot(fake(), tempDb(), {}, undefined, { runner: own.pool });
  });
  afterAll(async () => {
    await own.bot.stop();
    await own.pool.close();
  });
  return own;
}

/** A file shared in a channel (a new thread), as Slack's Events API sends it; `extra` adds thread_ts, text and so on. */
export function fileShare(channel: string, ts: string, files: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return { type: 'message', subtype: 'file_share', channel, channel_type: 'channel', user: 'U1', text: '', ts, files, ...extra };
}

export function blocksText(args: Record<string, unknown>): string {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'text' && typeof x === 'string' ? out.push(x) : visit(x);
  };
  visit(args.blocks);
  return out.join('\n');
}

/** The block_actions payload Slack sends when `user` clicks `button` in the summary `messageTs` of a thread. */
export function buttonClick(
  channel: string,
  threadTs: string,
  messageTs: string,
  button: { action_id: string; value: string },
  user: string,
  actionTs: string,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user, username: user, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    team: { id: 'T1' },
    trigger_id: `trig-${actionTs}`,
    container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'support' },
    message: { type: 'message', ts: messageTs, thread_ts: threadTs, text: 'summary' },
    actions: [
      { type: 'button', action_id: button.action_id, block_id: 'q', value: button.value, action_ts: actionTs, text: { type: 'plain_text', text: 'x' } },
    ],
  };
}

/**
 * The view_submission payload Slack sends when `user` submits the /pushcheck start form: the kind of
 * problem, the three values and the pasted text, each left empty (null) unless given.
 */
export function startFormSubmission(
  user: string,
  view: { id: string; trigger: string; privateMetadata: string },
  fields: { kind?: string; magic?: string; paste?: string },
): Record<string, unknown> {
  return {
    type: 'view_submission',
    user: { id: user, team_id: 'T1' },
    team: { id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: view.trigger,
    view: {
      id: view.id,
      type: 'modal',
      callback_id: 'pushcheck_start',
      private_metadata: view.privateMetadata,
      state: {
        values: {
          kind: { kind: { type: 'static_select', selected_option: fields.kind ? { value: fields.kind } : null } },
          magic: { magic: fields.magic ? { type: 'plain_text_input', value: fields.magic } : { value: null } },
          topic: { topic: { value: null } },
          token: { token: { value: null } },
          paste: { paste: { value: fields.paste ?? null } },
        },
      },
    },
  };
}
