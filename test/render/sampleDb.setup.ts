import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeSampleDb } from './sampleDb.js';

/** Generates the shared sample export once for the run; sampleDb() hands each caller a copy. */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-sample-template-'));
  const file = join(dir, 'events.duckdb');
  await writeSampleDb(file);
  project.provide('sampleDbTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
