import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HTTPReceiver } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createReceiver } from '../../src/slack/app.js';
import { parseConfig, type SlackConfig } from '../../src/slack/config.js';
import type { HealthSource } from '../../src/slack/health.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDb } from './harness.js';

const config = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' }, { dbPath: ':memory:' }) as SlackConfig;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

async function serve(health: HealthSource): Promise<string> {
  const receiver = createReceiver(config, createLogger({ level: 'silent' }), health) as HTTPReceiver;
  server = createServer(receiver.requestListener);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('GET /healthz in HTTP mode', () => {
  it('is 200 while the store answers, and 503 naming the store once it does not', async () => {
    const store = new SqliteStore({ path: tempDb(), retentionMs: 1000 });
    const url = await serve({ store, replica: 'r1' });
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, store: 'sqlite', replica: 'r1' });
    await store.close();
    const down = await fetch(`${url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, store: 'sqlite', error: expect.stringMatching(/not open/) });
  });

  it('is 503 when the store hangs, after its timeout rather than never', async () => {
    const url = await serve({ store: { kind: 'postgres', ping: () => new Promise(() => undefined) }, timeoutMs: 200 });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, store: 'postgres', error: 'the postgres store did not answer within 200 ms' });
  });

  it('needs no Slack signature, and Slack requests still do', async () => {
    const url = await serve({ store: { kind: 'sqlite', ping: async () => undefined } });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/slack/events`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
  });
});
