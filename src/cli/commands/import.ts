import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { duckdbFile, loadConfig } from '../../config/config.js';
import { importFiles } from '../../importer/importFiles.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import GA4 export files (bq extract NDJSON or Parquet) into the DuckDB file, one table per day',
    )
    .argument(
      '<paths...>',
      'files or folders: .json, .ndjson, .jsonl (optionally .gz) and .parquet; a folder means the files directly inside it',
    )
    .option('--db <file>', 'the DuckDB events file, created if missing')
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'no progress messages')
    .action(async (paths: string[], options: { db?: string; json?: boolean; quiet?: boolean }) => {
      // Unlike the reading commands, import creates the file (and its folder) when missing.
      const db = options.db ?? duckdbFile(loadConfig());
      mkdirSync(dirname(db), { recursive: true });
      const started = performance.now();
      const seconds = (): string => `${((performance.now() - started) / 1000).toFixed(1)}s`;
      const result = await importFiles(db, paths, {
        onProgress: options.quiet
          ? undefined
          : (message) => process.stderr.write(`[${seconds()}] ${message}\n`),
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ db, ...result }, null, 2)}\n`);
        return;
      }
      const width = Math.max(5, ...result.tables.map((t) => t.table.length));
      const lines = [
        `${'table'.padEnd(width)}  ${'rows'.padStart(10)}  status`,
        ...result.tables.map(
          (t) =>
            `${t.table.padEnd(width)}  ${t.rows.toLocaleString('en-US').padStart(10)}  ${t.replaced ? 'replaced' : 'new'}`,
        ),
      ];
      const total = result.tables.reduce((sum, t) => sum + t.rows, 0);
      lines.push(
        `${result.tables.length} table${result.tables.length === 1 ? '' : 's'}, ${total.toLocaleString('en-US')} rows into ${db} in ${seconds()}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
