import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { generateSample } from '../../src/sample/generateSample.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The sample export below, generated once per run by sampleDb.setup.ts; never opened by tests. */
    sampleDbTemplate: string;
  }
}

/** Generates the small deterministic sample export (21 days ending 2026-10-31, 400 users) into `file`. */
export async function writeSampleDb(file: string): Promise<void> {
  await generateSample(file, { days: 21, users: 400, seed: 3, endDate: '2026-10-31' });
}

/**
 * The sample export in a fresh DuckDB file of its own. The sample is deterministic, so a copy of
 * the one generated for the run is the same file as generating it again, without the seconds of
 * CPU that costs in each of the files that use it.
 */
export async function sampleDb(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'pathlight-report-')), 'events.duckdb');
  copyFileSync(inject('sampleDbTemplate'), file);
  return file;
}

/** "Now" for rendering: last_week resolves to 19-25 October 2026 in UTC. */
export const NOW = new Date('2026-10-30T10:00:00Z');
