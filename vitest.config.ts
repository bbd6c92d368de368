import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that time themselves against the line length, send signals, change the process's
 * environment or start whole bot processes: each file in a fresh worker.
 */
const OWN_PROCESS = ['test/hostile/**/*.test.ts', 'test/replicas/**/*.test.ts'];

export default defineConfig({
  test: {
    // Files written by others live beside the repository: `npm run test:realworld` (test/realworld/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'test/realworld/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
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
