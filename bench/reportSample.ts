import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample } from '../src/sample/generateSample.js';

/**
 * The sample the report benches read (2,000 users, 35 days to 31 Oct 2026, seed 11), generated
 * once and kept in the temp folder, as generating it takes about a minute.
 */
export async function reportBenchSample(): Promise<string> {
  const file = join(tmpdir(), 'pathlight-bench-render-2000u-35d.duckdb');
  if (!existsSync(file)) {
    process.stderr.write(`generating the sample into ${file}…\n`);
    await generateSample(file, { days: 35, users: 2000, seed: 11, endDate: '2026-10-31' });
  }
  return file;
}
