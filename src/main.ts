#!/usr/bin/env node
/**
 * `npm start`: the Slack bot when Slack credentials are configured,
 * otherwise one line on how to connect Slack and the same guided diagnosis
 * in the terminal on the bundled example case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from './log.js';
import { CaseService } from './case/index.js';
import { runTerminal } from './terminal/guided.js';
import { ConfigError, loadDotEnv, parseConfig, type SlackConfig } from './slack/config.js';
import { StoreUnavailableError } from './store/errors.js';
import { openStore } from './store/open.js';
import { SqliteStore } from './store/sqlite.js';

const HOW_TO_CONNECT =
  'Slack is not configured: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) to run the bot (see README.md, "Slack"). Meanwhile, the guided diagnosis on the bundled example case:\n';

/** How long a stopping bot waits for work in progress (a large bundle may still be downloading). */
const SHUTDOWN_GRACE_MS = 20_000;

async function startBot(config: SlackConfig): Promise<void> {
  const logger = createLogger({ level: config.logLevel });
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    sqlitePath: config.dbPath,
    retentionMs: config.retentionMs,
    onError: (e) => logger.warn({ err: e }, 'database connection error'),
  });
  const purge = () => store.purge().then((purged) => logger.info({ purged }, 'retention purge'), (e: unknown) => logger.warn({ err: e }, 'retention purge failed'));
  logger.info({ store: store.kind, at: store.location }, 'session store open');
  await purge();
  const purgeTimer = setInterval(() => void purge(), 3_600_000);
  purgeTimer.unref();
  const cases = new CaseService(store);
  const [{ createReceiver, createSlackApp }, { startScanRecovery }, { replicaId }] = await Promise.all([
    import('./slack/app.js'),
    import('./slack/recovery.js'),
    import('./slack/scanKeeper.js'),
  ]);
  const replica = replicaId();
  // One database: the cases (behind the service) and Slack's own book of its threads.
  const { app, deps } = createSlackApp({ receiver: createReceiver(config, logger, { store, replica }), config, cases, threads: store, logger, replica });
  if (config.mode === 'http') await app.start(config.port);
  else await app.start();
  const keeper = startScanRecovery(app, deps, config.scanStaleMs);
  logger.info({ mode: config.mode, replica, ...(config.mode === 'http' ? { port: config.port } : {}) }, 'pushcheck is running');
  const stop = async () => {
    logger.info('stopping');
    await app.stop().catch(() => undefined);
    // Let threads being read or answered finish their replies (bounded) before the store closes under them;
    // files still being read then are handed to another replica (or to this one's next start).
    await Promise.race([deps.work.idle(), new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref())]);
    await keeper.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(): Promise<number> {
  // `npm start | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  loadDotEnv();
  let config;
  try {
    config = parseConfig(process.env, { dbPath: join(process.cwd(), 'data', 'pushcheck.db') });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`pushcheck: configuration error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (config.mode !== 'terminal') {
    try {
      await startBot(config);
    } catch (e) {
      if (e instanceof StoreUnavailableError) {
        process.stderr.write(`pushcheck: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    return -1; // keeps running
  }
  process.stdout.write(HOW_TO_CONNECT);
  // A fresh store per run: the demo starts from the example every time.
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-'));
  const store = new SqliteStore({ path: join(dir, 'sessions.db'), retentionMs: config.retentionMs });
  try {
    const interactive = !!process.stdin.isTTY && !!process.stdout.isTTY;
    return await runTerminal(new CaseService(store), { input: process.stdin, output: process.stdout, interactive, color: !!process.stdout.isTTY && !process.env.NO_COLOR });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pushcheck: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
