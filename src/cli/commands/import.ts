import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { duckdbFile, loadConfig } from '../../config/config.js';
import { importFiles, type ImportOptions } from '../../importer/importFiles.js';
import { progressBar } from '../progressBar.js';

/**
 * On a terminal a bar over the tables written, its step the latest message (checking a file shows
 * at 0%); elsewhere every message as a timed line, as logs want them.
 */
function importProgress(started: number): ImportOptions['onProgress'] & { stop(): void } {
  if (!process.stderr.isTTY) {
    const seconds = (): string => `${((performance.now() - started) / 1000).toFixed(1)}s`;
    return Object.assign((message: string) => process.stderr.write(`[${seconds()}] ${message}\n`), {
      stop: () => undefined,
    });
  }
  const bar = progressBar('import');
  let at = { done: 0, total: 1 };
  return Object.assign(
    (message: string, of?: { done: number; total: number }) => {
      if (of) at = of;
      bar.update(at.done, at.total, message);
    },
    { stop: () => bar.stop() },
  );
}

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
      const progress = options.quiet ? undefined : importProgress(started);
      const result = await importFiles(db, paths, progress ? { onProgress: progress } : {}).finally(
        () => progress?.stop(),
      );
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
