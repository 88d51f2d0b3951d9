import { existsSync } from 'node:fs';
import { duckdbFile, loadConfig } from '../../config/config.js';
import type { Engine } from '../../engines/engine.js';
import { openEngine } from '../../engines/openEngine.js';
import { InputError } from '../../errors/errors.js';

/** The DuckDB file a command reads: `--db`, else the configured embedded file; it must exist. */
export function dbOption(db: string | undefined): string {
  const file = db ?? duckdbFile(loadConfig());
  if (!existsSync(file)) {
    throw new InputError(
      `--db: no DuckDB file at ${file} (create one with \`pathlight sample --db ${file}\`)`,
      'db',
    );
  }
  return file;
}

/** The engine a command queries: the `--db` file when given, else the configured engine. */
export function openCliEngine(db: string | undefined): Promise<Engine> {
  const config = loadConfig();
  if (!db && config.PATHLIGHT_ENGINE === 'bigquery') return openEngine(config);
  return openEngine(config, { db: dbOption(db) });
}
