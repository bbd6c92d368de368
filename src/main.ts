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
import { freeDeadBuffersWithinScavenges } from './cli/gcTuning.js';
import { CaseService } from './case/index.js';
import { runTerminal } from './terminal/guided.js';
import { ConfigError, loadDotEnv, parseConfig, type SlackConfig } from './slack/config.js';
import { TokenError } from './slack/tokenError.js';
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
  const purge = () =>
    store.purge().then(
      (purged) => logger.info({ purged }, 'retention purge'),
      (e: unknown) => logger.warn({ err: e }, 'retention purge failed'),
    );
  logger.info({ store: store.kind, at: store.location }, 'case store open');
  await purge();
  const purgeTimer = setInterval(() => void purge(), 3_600_000);
  purgeTimer.unref();
  const cases = new CaseService(store);
  const [{ createReceiver, createSlackApp }, { startScanRecovery }, { replicaId }, { connectToSlack, tokenError, untilAnswered }] = await Promise.all([
    import('./slack/app.js'),
    import('./slack/recovery.js'),
    import('./slack/scanKeeper.js'),
    import('./slack/startup.js'),
  ]);
  const replica = replicaId();
  let started: ReturnType<typeof createSlackApp> | undefined;
  try {
    // The tokens are checked (waiting while Slack is unreachable) before anything is served or said to run.
    const identity = await connectToSlack(config, { logger });
    // One database: the cases (behind the service) and Slack's own book of its threads.
    const bot = (started = createSlackApp({
      receiver: createReceiver(config, logger, { store, replica }),
      config,
      cases,
      threads: store,
      logger,
      replica,
      botId: identity.botId,
      botUserId: identity.botUserId,
    }));
    // The worker threads load their code now, not when the first file is shared.
    await bot.deps.runner.ready();
    if (config.mode === 'http') await bot.app.start(config.port);
    // Slack may go away between the check and the connection: Socket Mode's own start does not wait for it.
    else await untilAnswered('apps.connections.open', 'SLACK_APP_TOKEN', () => bot.app.start(), { logger, apiUrl: config.apiUrl ?? 'https://slack.com/api/' });
  } catch (e) {
    clearInterval(purgeTimer);
    await started?.deps.runner.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new ConfigError(
        'PORT',
        `cannot listen on port ${config.port} (${code === 'EADDRINUSE' ? 'another process is using it' : 'not allowed'}): set PORT to a free port`,
      );
    throw tokenError('SLACK_APP_TOKEN', e) ?? e;
  }
  const { app, deps } = started!;
  const keeper = startScanRecovery(app, deps, config.scanStaleMs);
  logger.info({ mode: config.mode, replica, ...(config.mode === 'http' ? { port: config.port } : {}) }, 'pushcheck is running');
  const stop = async () => {
    logger.info('stopping');
    await app.stop().catch(() => undefined);
    // Let threads being read or answered finish their replies (bounded) before the store closes under them;
    // files still being read then are handed to another replica (or to this one's next start).
    await Promise.race([deps.work.idle(), new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref())]);
    await keeper.stop();
    await deps.runner.close();
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
  let config: ReturnType<typeof parseConfig>;
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
      // What whoever runs the bot must fix (a database, a token, a port): one line naming it, no stack trace.
      if (e instanceof StoreUnavailableError || e instanceof TokenError || e instanceof ConfigError) {
        process.stderr.write(`pushcheck: ${e instanceof ConfigError ? 'configuration error: ' : ''}${e.message}\n`);
        return 2;
      }
      throw e;
    }
    return -1; // keeps running
  }
  process.stdout.write(HOW_TO_CONNECT);
  // A fresh store per run: the demo starts from the example every time.
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-'));
  const store = new SqliteStore({ path: join(dir, 'cases.db'), retentionMs: config.retentionMs });
  try {
    const interactive = !!process.stdin.isTTY && !!process.stdout.isTTY;
    return await runTerminal(new CaseService(store), {
      input: process.stdin,
      output: process.stdout,
      interactive,
      color: !!process.stdout.isTTY && !process.env.NO_COLOR,
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

freeDeadBuffersWithinScavenges();
main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    // A broken rule file is for whoever edited rules/ to fix: its message names file and line; a stack adds nothing.
    const ruleFiles = e instanceof Error && e.name === 'RuleLoadError';
    process.stderr.write(`pushcheck: ${ruleFiles ? e.message : ((e as Error).stack ?? String(e))}\n`);
    process.exitCode = 1;
  },
);
