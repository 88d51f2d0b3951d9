import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { duckdbFile, type Config } from '../config/config.js';
import { bigqueryEngineFromConfig } from '../engines/bigquery/BigqueryEngine.js';
import { importAdCosts, type CostImportResult } from '../importer/costs/importAdCosts.js';
import { loadAdCostsBigquery } from '../importer/costs/loadAdCostsBigquery.js';

/**
 * A cost-data file into wherever the events are read from: with BigQuery as the engine (and no
 * file named), PATHLIGHT_BQ_COSTS_TABLE by load job and merge; else the DuckDB file, created if
 * missing. Returns the destination beside the file's counts.
 */
export async function importCosts(
  config: Config,
  file: string,
  db?: string,
): Promise<CostImportResult & { db: string }> {
  if (config.PATHLIGHT_ENGINE === 'bigquery' && db === undefined) {
    const table = config.PATHLIGHT_BQ_COSTS_TABLE ?? '';
    return { db: table, ...(await loadAdCostsBigquery(bigqueryEngineFromConfig(config), file)) };
  }
  const target = db ?? duckdbFile(config);
  mkdirSync(dirname(target), { recursive: true });
  return { db: target, ...(await importAdCosts(target, file)) };
}
