import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:realworld`: the tests on files written by others (../shared/realworld),
// kept apart so that `npm test` passes on a clone with nothing beside it.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/realworld/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    globalSetup: ['test/realworld/setup.global.ts'],
  },
});
