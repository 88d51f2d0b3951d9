import { duckdbFile, type Config } from '../config/config.js';
import { bigqueryEngineFromConfig } from './bigquery/BigqueryEngine.js';
import { DuckdbEngine } from './duckdb/DuckdbEngine.js';
import type { Engine } from './engine.js';

/**
 * The one place an engine is chosen: BigQuery when configured, else the embedded DuckDB file (or
 * the file a command names, which always means DuckDB), read-only, with the configured timeout.
 */
export async function openEngine(config: Config, options: { db?: string } = {}): Promise<Engine> {
  if (!options.db && config.PATHLIGHT_ENGINE === 'bigquery')
    return bigqueryEngineFromConfig(config);
  return DuckdbEngine.open(options.db ?? duckdbFile(config), {
    mode: 'read',
    defaultTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS,
  });
}
