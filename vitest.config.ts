import { defineConfig } from 'vitest/config';
import { CCXT_EXCHANGE_ALIAS } from './wxt.config';

export default defineConfig({
  // The same `ccxt-exchange/<id>` mapping as the extension's build, so tests import the exchange
  // modules as the app does.
  resolve: { alias: [CCXT_EXCHANGE_ALIAS] },
  test: {
    environment: 'node',
    // Child processes (tsc, browsers) are spawned from tests: forks isolate them best.
    // Two workers match the 2-core CI machines; more only adds contention.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
          setupFiles: ['tests/support/fast-check-seed.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Real-browser tests: build the extension, start the replay server, drive Chromium.
        // After the unit tests (not beside them: they are timing-sensitive on 2 cores), one file at
        // a time (each starts its own browser), generous time-outs for the build.
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
