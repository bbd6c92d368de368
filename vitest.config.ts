import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Files written by others live beside the repository: `npm run test:realworld` (test/realworld/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'test/realworld/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    setupFiles: ['test/setup/ruleCoverage.setup.ts'],
    globalSetup: ['test/setup/ruleCoverage.global.ts'],
  },
});
