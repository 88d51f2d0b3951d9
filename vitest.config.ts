import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/longestFirst.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Times in tests are UTC unless a test sets another zone on purpose.
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Made once for the run and copied where a test needs one: an empty PGlite cluster (instead of an
    // initdb per store) and the deterministic sample export (instead of generating it per file).
    globalSetup: ['test/support/pgliteTemplate.setup.ts', 'test/render/sampleDb.setup.ts'],
    pool: 'forks',
    // Two forks on two cores: most files wait on Chromium, ZetaSQL, SMTP or DuckDB threads, and one
    // fork (the default here) left the suite near CI's time limit.
    maxWorkers: 2,
    // The longest files first, so neither fork is left running one alone at the end.
    sequence: { sequencer: LongestFirst },
  },
});
