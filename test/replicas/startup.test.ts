import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.js';
import { PG_URL } from '../store/stores.js';
import { built } from '../support/built.js';

// What whoever runs the bot sees when PUSHCHECK_DATABASE_URL names a database that cannot be used.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const proc = spawn(process.execPath, [built('main')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: '1' /* never bound: start-up stops before */,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  return new Promise((r) => proc.once('exit', (code) => r({ code, stderr, stdout })));
}

describe('starting the bot on a database it cannot use', () => {
  it.skipIf(!PG_URL)(
    'says in one line which database could not be used and why, never the password, exit 2',
    async () => {
      const url = new URL(PG_URL!);
      url.pathname = '/no_such_database';
      url.password = 's3cret';
      const r = await start({ PUSHCHECK_DATABASE_URL: url.toString() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^pushcheck: PUSHCHECK_DATABASE_URL: cannot use the database at 127\.0\.0\.1:\d+\/no_such_database: database "no_such_database" does not exist\n$/,
      );
      expect(r.stderr + r.stdout).not.toMatch(/s3cret/);
    },
    60_000,
  );
});
