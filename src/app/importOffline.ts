import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { duckdbFile, type Config } from '../config/config.js';
import { bigqueryEngineFromConfig } from '../engines/bigquery/BigqueryEngine.js';
import {
  importOfflineEvents,
  type OfflineImportResult,
} from '../importer/offline/importOfflineEvents.js';
import { loadOfflineEventsBigquery } from '../importer/offline/loadOfflineEventsBigquery.js';

/**
 * Offline-event files into wherever the events are read from: with BigQuery as the engine (and no
 * file named), PATHLIGHT_BQ_OFFLINE_TABLE by load job; else the DuckDB file, created if missing.
 * Returns the destination beside the per-file counts.
 */
export async function importOffline(
  config: Config,
  files: string[],
  db?: string,
): Promise<OfflineImportResult & { db: string }> {
  if (config.PATHLIGHT_ENGINE === 'bigquery' && db === undefined) {
    const table = config.PATHLIGHT_BQ_OFFLINE_TABLE ?? '';
    return {
      db: table,
      ...(await loadOfflineEventsBigquery(bigqueryEngineFromConfig(config), files)),
    };
  }
  const file = db ?? duckdbFile(config);
  mkdirSync(dirname(file), { recursive: true });
  return { db: file, ...(await importOfflineEvents(file, files)) };
}
