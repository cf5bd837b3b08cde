import { defineConfig } from 'vitest/config';

/**
 * Tests that bound how fast /healthz (or a request) answers while the server under test works hard: they run after
 * the others, one at a time, so that no other test's servers share the 2 cores with them and the bound measures
 * ringmon, not the neighbours.
 */
const TIMED = [
  'test/server/fuzz/fuzz.test.ts',
  'test/server/reshape-e2e.test.ts',
  'test/server/routes/fetch-bounds.test.ts',
  'test/server/routes/rule-trial.test.ts',
  'test/server/pattern-blowup.test.ts',
  'test/server/downtimes-bounds.test.ts',
  'test/server/slurpers/slurper-reload-e2e.test.ts',
  'test/server/http/connection-limits-e2e.test.ts',
  'test/server/http/connection-limits.test.ts',
  'test/server/http/security-headers.test.ts',
  'test/server/graphite/connections.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: TIMED,
          // vitest's default on 2 cores is one worker; most of the suite's time is real servers waiting on real
          // timers (a node going down, a flush), so two files at a time nearly halve the wall time.
          maxWorkers: 2,
          // Each file in a fresh process re-imported the server's module graph (fastify, kysely, better-sqlite3,
          // typebox...) through the transform: more CPU than most files' tests. Every file here closes what it
          // starts and restores what it changes (umask, env, spies), so the two workers keep their processes and
          // imports from file to file; the 'timed' files below keep a fresh process each. So a module under test/
          // other than a test file runs its top level once per worker, not once per file: it must not register
          // hooks (afterAll...) there — export a function the test file calls instead (store-helpers.ts's
          // freshStoreRoot, ringmon-process.ts's launcherInTempDir).
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'timed',
          include: TIMED,
          maxWorkers: 1,
          isolate: true,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
