import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { duckdbFile, loadConfig } from '../../config/config.js';
import { importAdCosts } from '../../importer/costs/importAdCosts.js';

export function registerImportCosts(program: Command): void {
  program
    .command('import-costs')
    .description(
      'import ad costs (GA4 cost-data CSV: date, utm_source, utm_medium, utm_id, utm_campaign, impressions, clicks, cost, currency) into the DuckDB file',
    )
    .argument('<file>', 'a CSV file; a day and key imported again replaces that row')
    .option('--db <file>', 'the DuckDB events file, created if missing')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { db?: string; json?: boolean }) => {
      const db = options.db ?? duckdbFile(loadConfig());
      mkdirSync(dirname(db), { recursive: true });
      const result = await importAdCosts(db, file);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ db, ...result }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${result.file}: ${result.rows} rows, ${result.added} new, ${result.replaced} replaced${result.currency ? ` (${result.currency})` : ''}\ninto ${db}\n`,
      );
    });
}
