// Resilience tests (npm run test:resilience): a real server under load, kill -9, backup during load,
// and a fuzz pass over every form route. One file at a time: they measure and must not compete for
// the two cores; results go to their own JSON report, which .ci/run adds to the unit suite's.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/resilience/**/*.resilience.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 240_000,
    reporters: ['default', ['json', { outputFile: 'test-results/resilience.json' }]],
  },
});
