import { PassThrough } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { CaseService } from '../../src/case/index.js';
import { createReceiver, createSlackApp } from '../../src/slack/app.js';
import { parseConfig, type SlackConfig } from '../../src/slack/config.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { FakeSlack } from './fakeSlack.js';
import { tempDb } from './harness.js';

let fake: FakeSlack;
let wss: WebSocketServer;
const acks: string[] = [];
let socket: WebSocket | undefined;

beforeAll(async () => {
  fake = await new FakeSlack().start();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (m) => acks.push((JSON.parse(m.toString()) as { envelope_id: string }).envelope_id));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
  });
});
afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
  await fake.stop();
});

describe('Socket Mode', () => {
  it('is the default with an app token: connects via apps.connections.open, acks an envelope and answers it', async () => {
    const config = parseConfig(
      { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: fake.apiUrl },
      { dbPath: tempDb() },
    ) as SlackConfig;
    expect(config.mode).toBe('socket');
    const logger = createLogger({ level: 'warn', destination: new PassThrough() });
    const store = new SqliteStore({ path: config.dbPath, retentionMs: config.retentionMs });
    const { app } = createSlackApp({
      receiver: createReceiver(config, logger),
      config,
      cases: new CaseService(store),
      threads: store,
      logger,
      botId: 'BBOT',
      botUserId: 'UBOT',
      retryConfig: { retries: 0 },
    });
    await app.start();
    try {
      expect(fake.of('apps.connections.open')).toHaveLength(1);
      await fake.waitFor(() => socket);
      socket!.send(
        JSON.stringify({
          envelope_id: 'env-1',
          type: 'events_api',
          accepts_response_payload: false,
          retry_attempt: 0,
          retry_reason: '',
          payload: {
            type: 'event_callback',
            team_id: 'T1',
            api_app_id: 'A1',
            event_id: 'EvSock1',
            event_time: 1700000000,
            event: { type: 'app_mention', channel: 'CSOCK', user: 'U1', ts: '1700004000.000100', text: '<@UBOT> help' },
          },
        }),
      );
      const reply = await fake.waitFor(() => fake.of('chat.postMessage').find((c) => c.args.channel === 'CSOCK'));
      expect(reply.args.thread_ts).toBe('1700004000.000100');
      expect(String(reply.args.text)).toMatch(/pushcheck\* finds out why/);
      await fake.waitFor(() => acks.includes('env-1'));
    } finally {
      await app.stop();
      await store.close();
    }
  });
});
