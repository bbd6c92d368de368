import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Tests that time themselves against the line length, send signals, change the process's
 * environment or start whole bot processes: each file in a fresh worker.
 */
const OWN_PROCESS = ['test/hostile/**/*.test.ts', 'test/replicas/**/*.test.ts'];

/**
 * The files of their own process first, then the rest (each group longest first, as vitest orders
 * them). They are among the longest, so they do not hold up the end of the run; and a worker that
 * runs the main files is kept for the next main file, but stopped when the next file in the queue
 * needs a fresh process, and its successor loads the sources all over again.
 */
class OwnProcessFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const own = (f: TestSpecification) => f.project.name === 'own-process';
    return [...sorted.filter(own), ...sorted.filter((f) => !own(f))];
  }
}

export default defineConfig({
  test: {
    // Files written by others live beside the repository: `npm run test:realworld` (test/realworld/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'test/realworld/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // One file more than there are cores (vitest's default is one fewer): much of the suite waits on
    // bot processes, worker threads, loopback servers and timeouts it sets off, and meanwhile
    // another file has the core.
    maxWorkers: Math.max(3, availableParallelism() + 1),
    sequence: { sequencer: OwnProcessFirst },
    setupFiles: ['test/setup/ruleCoverage.setup.ts', 'test/setup/scratch.setup.ts'],
    globalSetup: ['test/setup/ruleCoverage.global.ts', 'test/setup/build.global.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/realworld/**', ...OWN_PROCESS],
          // A worker loads the sources, the rule set and the test helpers once for all the files it
          // runs, not once per file: that loading was most of the suite's time. Shared helpers make
          // their temporary folders per file (test/support/scratch.ts).
          isolate: false,
        },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS } },
    ],
  },
});
