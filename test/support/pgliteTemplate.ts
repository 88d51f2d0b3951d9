import { cpSync, existsSync, readdirSync } from 'node:fs';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An empty PGlite cluster made once per run by pgliteTemplate.setup.ts; never opened by tests. */
    pgliteTemplate: string;
  }
}

/**
 * Fills `dir` (absent or empty) with a copy of the run's empty PGlite cluster and returns it, so
 * the store opened there skips initdb; migrations still run on it as on any first start.
 */
export function freshPgliteDir(dir: string): string {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`freshPgliteDir: ${dir} already holds files`);
  }
  cpSync(inject('pgliteTemplate'), dir, { recursive: true });
  return dir;
}
