import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

/**
 * Initialises one empty PGlite cluster for the whole run. A first open of an empty folder runs
 * PostgreSQL's initdb in WebAssembly, seconds of CPU for every store a test makes; stores start
 * from a copy of this cluster instead (freshPgliteDir), which is what that first open leaves.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-pglite-template-'));
  const db = await PGlite.create(dir);
  await db.close();
  project.provide('pgliteTemplate', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
