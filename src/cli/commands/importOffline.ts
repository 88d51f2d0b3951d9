import type { Command } from 'commander';
import { importOffline } from '../../app/importOffline.js';
import { loadConfig } from '../../config/config.js';

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
      const { db, ...result } = await importOffline(loadConfig(), files, options.db);
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
