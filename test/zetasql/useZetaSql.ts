import { afterAll, beforeAll } from 'vitest';
import { startZetaSqlServer, stopZetaSqlServer } from './zetasqlServer.js';

/**
 * Starts ZetaSQL's server before a test file's tests and stops it after them. The harness also
 * starts it on first use; this keeps start-up out of the first test's time budget.
 */
export function useZetaSql(): void {
  beforeAll(async () => {
    await startZetaSqlServer();
  });
  afterAll(async () => {
    await stopZetaSqlServer();
  });
}
