import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PathlightError } from '../errors/errors.js';

/** The embedded store is in use by another running process. */
export class StoreBusyError extends PathlightError {
  override readonly code = 'store_busy';
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite is one process: a second process opening the same folder (say `pathlight send` while
 * `pathlight serve` runs) would corrupt it. A pid file refuses that; a dead process's file is taken over.
 */
export function lockStoreDir(dir: string): () => void {
  const file = join(dir, 'pathlight.pid');
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid === process.pid) return () => undefined;
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new StoreBusyError(
          `the embedded store in ${dir} is in use by process ${pid} (a running pathlight serve?): stop it first, or use PostgreSQL through DATABASE_URL`,
        );
      rmSync(file, { force: true });
    }
  }
  throw new StoreBusyError(`could not lock the embedded store in ${dir}`);
}
