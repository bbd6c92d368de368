import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FakeSlack } from './fakeSlack.js';
import { BOT_TOKEN, sign, SIGNING_SECRET, tempDb } from './harness.js';
import { built } from '../support/built.js';

// What whoever runs the bot sees when Slack cannot be reached or refuses a token at start-up: the real
// `src/main.ts` (bundled, as `npm start` runs the build) in a child process, against the fake Slack.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
  /** Resolves once the output holds `pattern` (or rejects when the process ends first). */
  waitForOutput(pattern: RegExp): Promise<void>;
}

function start(env: Record<string, string>): Run {
  const proc = spawn(process.execPath, [built('main')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SLACK_BOT_TOKEN: BOT_TOKEN, PUSHCHECK_DB: tempDb(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const changed = () => waiters.forEach((w) => w());
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    changed();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
    changed();
  });
  const exit = new Promise<number | null>((r) =>
    proc.once('exit', (code) => {
      r(code);
      changed();
    }),
  );
  return {
    proc,
    out: () => out,
    err: () => err,
    exit,
    waitForOutput: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out + err)) {
            waiters.delete(check);
            resolve();
          } else if (proc.exitCode !== null) {
            waiters.delete(check);
            reject(new Error(`the bot exited (${proc.exitCode}) before printing ${pattern}:\n${out}${err}`));
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

/** A port nothing listens on for the HTTP receiver (bound only once Slack is reached). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const RUNNING = /pushcheck is running/;

describe.concurrent('starting the bot', () => {
  it.each([
    ['invalid_auth', /Slack does not recognise it \(invalid_auth\)/],
    ['token_revoked', /it was revoked \(token_revoked\): the app was uninstalled or the token was regenerated/],
  ])(
    'with a bot token Slack answers %s: one line naming SLACK_BOT_TOKEN, exit 2, never "running"',
    async (code, says) => {
      const fake = await new FakeSlack().start();
      try {
        fake.failures.set('auth.test', code);
        const run = start({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(await freePort()) });
        expect(await run.exit).toBe(2);
        expect(run.err()).toMatch(
          /^pushcheck: SLACK_BOT_TOKEN: Slack refused the bot token: .*\. To fix it, set SLACK_BOT_TOKEN to the Bot User OAuth Token \(xoxb-…\).*\.\n$/,
        );
        expect(run.err()).toMatch(says);
        expect(run.err()).not.toMatch(/\n\s+at /); // no stack trace
        expect(run.out() + run.err()).not.toMatch(RUNNING);
        expect(run.out() + run.err()).not.toContain(BOT_TOKEN);
      } finally {
        await fake.stop();
      }
    },
    60_000,
  );

  it('in Socket Mode with an app token Slack refuses: one line naming SLACK_APP_TOKEN, exit 2', async () => {
    const fake = await new FakeSlack().start();
    try {
      fake.failures.set('apps.connections.open', 'invalid_auth');
      const run = start({ SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: fake.apiUrl });
      expect(await run.exit).toBe(2);
      expect(run.err()).toMatch(
        /^pushcheck: SLACK_APP_TOKEN: Slack refused the app-level token: Slack does not recognise it \(invalid_auth\)\. To fix it, set SLACK_APP_TOKEN to an app-level token \(xapp-…, scope connections:write\).*\.\n$/,
      );
      expect(run.out() + run.err()).not.toMatch(RUNNING);
      expect(fake.of('auth.test')).toHaveLength(1); // the bot token was fine
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('while Slack is unreachable: says so and tries again; "running" only once auth.test answered, and then it serves', async () => {
    const fake = await new FakeSlack().start();
    const port = await freePort();
    fake.unreachable = true;
    const run = start({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port) });
    try {
      await run.waitForOutput(/Slack is unreachable at http:\/\/127\.0\.0\.1:\d+\/api\/ \(auth\.test: [^)]+\); trying again in 1 s/);
      await run.waitForOutput(/trying again in 2 s/); // a second attempt, waiting longer
      expect(run.out()).not.toMatch(RUNNING);
      expect(
        await fetch(`http://127.0.0.1:${port}/healthz`).then(
          () => 'listening',
          () => 'not listening',
        ),
      ).toBe('not listening');

      fake.unreachable = false;
      await run.waitForOutput(RUNNING);
      expect(run.out()).toMatch(/Slack answered auth\.test/);
      const body = new URLSearchParams({
        token: 'legacy',
        team_id: 'T1',
        api_app_id: 'A1',
        command: '/pushcheck',
        text: 'help',
        user_id: 'U1',
        channel_id: 'C1',
        trigger_id: 't',
        response_url: `${fake.url}/response`,
      }).toString();
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) },
        body,
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/finds out why/);
      expect(run.out() + run.err()).not.toContain(BOT_TOKEN);
    } finally {
      run.proc.kill('SIGTERM');
      await run.exit;
      await fake.stop();
    }
  }, 60_000);
});
