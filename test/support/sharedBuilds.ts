import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's folder of things built once and copied by the tests (sharedBuilds.setup.ts). */
    sharedBuilds: string;
  }
}

/**
 * The path of `name`, built once for the whole test run: the first test process that asks builds
 * it, into a scratch path renamed when whole; the others wait for it. A failed build leaves
 * `<name>.error`, so they fail with its reason rather than wait. Callers copy it, never open it.
 */
export async function builtOnce(
  name: string,
  build: (path: string) => Promise<void>,
  timeoutMs = 180_000,
): Promise<string> {
  const dir = inject('sharedBuilds');
  const path = join(dir, name);
  if (existsSync(path)) return path;
  let mine = true;
  try {
    mkdirSync(join(dir, `${name}.lock`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    mine = false;
  }
  if (mine) {
    const scratch = join(dir, `building-${name}`);
    try {
      await build(scratch);
      renameSync(scratch, path);
    } catch (error) {
      writeFileSync(join(dir, `${name}.error`), String((error as Error)?.stack ?? error));
      throw error;
    }
    return path;
  }
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    const failed = join(dir, `${name}.error`);
    if (existsSync(failed)) {
      throw new Error(`${name} could not be built: ${readFileSync(failed, 'utf8')}`);
    }
    if (Date.now() > deadline) throw new Error(`${name} not built after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return path;
}
