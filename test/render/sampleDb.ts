import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample } from '../../src/sample/generateSample.js';
import { builtOnce } from '../support/sharedBuilds.js';

/**
 * A small deterministic sample export (21 days ending 2026-10-31, 400 users) in a fresh DuckDB
 * file. The sample is generated once per run and copied: being deterministic, the copy is the
 * same file a fresh generation writes, without the seconds of CPU that costs in each file.
 */
export async function sampleDb(): Promise<string> {
  const sample = await builtOnce('sample.duckdb', async (path) => {
    await generateSample(path, { days: 21, users: 400, seed: 3, endDate: '2026-10-31' });
  });
  const file = join(mkdtempSync(join(tmpdir(), 'pathlight-report-')), 'events.duckdb');
  copyFileSync(sample, file);
  return file;
}

/** "Now" for rendering: last_week resolves to 19-25 October 2026 in UTC. */
export const NOW = new Date('2026-10-30T10:00:00Z');
