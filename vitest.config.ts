import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // ZooKeeper and Chromium, started or installed once for every project.
    globalSetup: ['scripts/test-services.ts'],
    reporters: ['default', ['json', { outputFile: '.test-report.json' }]],
    projects: [
      {
        test: {
          name: 'packages',
          include: ['packages/*/test/**/*.test.ts', 'conformance-tests/test/**/*.test.ts', 'demo/test/**/*.test.ts', 'reliability/test/ledger.test.ts', 'bench/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The reliability scenarios (CI mode) after everything else, one file at a time: each
        // runs a fleet of scheduler processes and wants the machine's two cores to itself.
        test: {
          name: 'reliability',
          include: ['reliability/test/*.test.ts'],
          exclude: ['reliability/test/ledger.test.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // The packed packages in fresh npm projects, last: the installs download and compile
        // (better-sqlite3 builds from source here), and would slow the timed tests beside them.
        test: {
          name: 'packaging',
          include: ['packaging/test/*.test.ts'],
          globalSetup: ['packaging/src/global-setup.ts'],
          testTimeout: 900_000,
          hookTimeout: 180_000,
          maxConcurrency: 4,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
