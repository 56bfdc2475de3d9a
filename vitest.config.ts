import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Child processes (tsc, browsers) are spawned from tests: forks isolate them best.
    // Two workers match the 2-core CI machines; more only adds contention.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
