import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default on 2 cores is one worker; most of the suite's time is real servers waiting out real timers
    // (a node going down, a flush), so two files at a time halve the wall time without starving either.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
