import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/longestFirst.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Times in tests are UTC unless a test sets another zone on purpose.
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Things tests copy rather than make each time (an empty PGlite cluster, the sample export)
    // are built once per run, by the first test that needs each, in a folder this setup provides.
    globalSetup: ['test/support/sharedBuilds.setup.ts'],
    pool: 'forks',
    // Two forks on two cores: most files wait on Chromium, ZetaSQL, SMTP or DuckDB threads, and one
    // fork (the default here) left the suite near CI's time limit.
    maxWorkers: 2,
    // The longest files first, so neither fork is left running one alone at the end.
    sequence: { sequencer: LongestFirst },
  },
});
