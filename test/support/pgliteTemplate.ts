import { cpSync, existsSync, readdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { builtOnce } from './sharedBuilds.js';

/**
 * Fills `dir` (absent or empty) with a copy of an empty PGlite cluster and returns it. A first
 * open of an empty folder runs PostgreSQL's initdb in WebAssembly, seconds of CPU for every store
 * a test makes; the cluster is initialised once per run instead, and a copy of it is what that
 * first open leaves. Migrations still run on the copy as on any first start.
 */
export async function freshPgliteDir(dir: string): Promise<string> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`freshPgliteDir: ${dir} already holds files`);
  }
  const template = await builtOnce('pglite-cluster', async (path) => {
    const db = await PGlite.create(path);
    await db.close();
  });
  cpSync(template, dir, { recursive: true });
  return dir;
}
