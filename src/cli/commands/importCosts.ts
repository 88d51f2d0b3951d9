import type { Command } from 'commander';
import { importCosts } from '../../app/importCosts.js';
import { loadConfig } from '../../config/config.js';

export function registerImportCosts(program: Command): void {
  program
    .command('import-costs')
    .description(
      'import ad costs (GA4 cost-data CSV: date, utm_source, utm_medium, utm_id, utm_campaign, impressions, clicks, cost, currency) into the DuckDB file, or by load job into PATHLIGHT_BQ_COSTS_TABLE when the engine is BigQuery',
    )
    .argument('<file>', 'a CSV file; a day and key imported again replaces that row')
    .option(
      '--db <file>',
      'the DuckDB events file, created if missing (BigQuery as the engine: leave it out)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { db?: string; json?: boolean }) => {
      const { db, ...result } = await importCosts(loadConfig(), file, options.db);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ db, ...result }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${result.file}: ${result.rows} rows, ${result.added} new, ${result.replaced} replaced${result.currency ? ` (${result.currency})` : ''}\ninto ${db}\n`,
      );
    });
}
