import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BOT_TOKEN, sign, SIGNING_SECRET } from '../slack/harness.js';
import { built } from '../support/built.js';

/**
 * Real bot processes (`src/main.ts`, HTTP mode) for the multi-replica
 * tests: each on its own loopback port, all on one Postgres database made
 * for the test, all talking to the same fake Slack.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A database of its own on the test server, dropped afterwards. */
export async function scratchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pushcheck_replicas_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface Replica {
  name: string;
  url: string;
  proc: ChildProcess;
  /** Log lines (JSON) the process wrote. */
  logs: string[];
  exited: Promise<number | null>;
  /** POSTs a signed Events API / interactivity body to this replica. */
  send(body: string, contentType: string): Promise<{ status: number; text: string }>;
  event(event: Record<string, unknown>, eventId: string): Promise<{ status: number; text: string }>;
  interaction(payload: Record<string, unknown>): Promise<{ status: number; text: string }>;
  /** Dies at once, as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<number | null>;
}

export async function startReplica(name: string, env: Record<string, string>, timeoutMs = 45_000): Promise<Replica> {
  const port = await freePort();
  const proc = spawn(process.execPath, [built('main')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let partial = '';
  const collect = (d: Buffer) => {
    const lines = (partial + d.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines.filter(Boolean));
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  const send = async (body: string, contentType: string) => {
    const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, ...sign(body) }, body });
    return { status: res.status, text: await res.text() };
  };
  const replica: Replica = {
    name,
    url: base,
    proc,
    logs,
    exited,
    send,
    event(event, eventId) {
      return send(
        JSON.stringify({ token: 'legacy', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: 1700000000, event }),
        'application/json',
      );
    },
    interaction(payload) {
      return send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
    },
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
  };
  // Ready when the health check says its store answers.
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return replica;
    if (proc.exitCode !== null || Date.now() > until) {
      proc.kill('SIGKILL');
      throw new Error(`replica ${name} did not become healthy (exit ${proc.exitCode}):\n${logs.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for an asynchronous condition (the fake Slack's waitFor takes synchronous ones). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
