import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The code tests start in processes and worker threads of their own, bundled
 * once per run by test/setup/build.global.ts (its folder is handed to the
 * test workers in this variable).
 */
export const BUILD_ENV = 'PUSHCHECK_TEST_BUILD';

/** What is bundled, by the name of its file in the build. */
export const ENTRIES = {
  /** The bot and the terminal mode, as `npm start` runs them. */
  main: 'src/main.ts',
  /** A worker thread of the bot's pool (src/slack/workers/pool.ts). */
  worker: 'src/slack/workers/worker.ts',
  /** hostile/signals.test.ts's child: a read that is spooling when the signal comes. */
  spoolChild: 'test/hostile/spoolChild.ts',
  /** archive/intake.test.ts's child: reads an archive in a working folder and a temp dir of the test's. */
  readChild: 'test/archive/readChild.ts',
} as const;

/** The path of a bundled entry, to run with `node`. */
export function built(entry: keyof typeof ENTRIES): string {
  const dir = process.env[BUILD_ENV];
  if (!dir) throw new Error(`${BUILD_ENV} is not set: run the tests through vitest.config.ts, whose global setup builds ${ENTRIES[entry]}`);
  return join(dir, `${entry}.js`);
}

/** The pool's worker, bundled: for WorkerPool's `workerScript`. */
export const workerScript = (): URL => pathToFileURL(built('worker'));

/**
 * A test's worker pool: the bundled worker, run at the test process's own priority. Niced (the
 * bot's default), its threads lose the cores to the other test files' processes on a busy machine
 * and take many times longer than the waits of the tests that use them.
 */
export const testWorkers = () => ({ workerScript: workerScript(), niceness: 0 });
