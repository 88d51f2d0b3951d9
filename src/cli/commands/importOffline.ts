import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { duckdbFile, loadConfig } from '../../config/config.js';
import { importOfflineEvents } from '../../importer/offline/importOfflineEvents.js';
import { loadOfflineEventsBigquery } from '../../importer/offline/loadOfflineEventsBigquery.js';
import { bigqueryEngineFromConfig } from '../../engines/bigquery/BigqueryEngine.js';

export function registerImportOffline(program: Command): void {
  program
    .command('import-offline')
    .description(
      'import offline events (GA4 offline-event CSV: client_id, user_id, timestamp_micros, event_name, event_param.<name>, user_property.<name>, item<N>.<field>) into the DuckDB file',
    )
    .argument('<files...>', 'CSV files; each is checked whole and written in one transaction')
    .option('--db <file>', 'the DuckDB events file, created if missing')
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], options: { db?: string; json?: boolean }) => {
      const config = loadConfig();
      // With BigQuery as the engine (and no --db), rows go to PATHLIGHT_BQ_OFFLINE_TABLE by load job.
      const bigquery = config.PATHLIGHT_ENGINE === 'bigquery' && options.db === undefined;
      const db = bigquery
        ? (config.PATHLIGHT_BQ_OFFLINE_TABLE ?? '')
        : (options.db ?? duckdbFile(config));
      if (!bigquery) mkdirSync(dirname(db), { recursive: true });
      const result = bigquery
        ? await loadOfflineEventsBigquery(bigqueryEngineFromConfig(config), files)
        : await importOfflineEvents(db, files);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ db, ...result }, null, 2)}\n`);
        return;
      }
      const lines = result.files.map(
        (f) =>
          `${f.file}: ${f.rows} rows, ${f.added} new${f.rows > f.added ? `, ${f.rows - f.added} already imported` : ''}`,
      );
      process.stdout.write(`${lines.join('\n')}\ninto ${db}\n`);
    });
}
