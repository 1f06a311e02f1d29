import { defineConfig } from 'vitest/config';

// Run from this folder (`pnpm --filter @jobstore/reliability run load`): one scenario file at a time,
// each with the machine to itself.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
