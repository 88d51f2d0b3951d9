import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckdbEngine } from '../engines/duckdb/DuckdbEngine.js';
import { listEventTables, refreshEventsView } from '../engines/duckdb/eventsView.js';
import { ImportError, PathlightError } from '../errors/errors.js';
import { eventsTableDdl, quoteIdent } from '../schema/duckdbTypes.js';
import { suffixFromEventDates } from './eventDay.js';
import { findExportFiles, type ExportFile } from './exportFiles.js';
import { ndjsonSelect, validateNdjsonFile, type NdjsonResult } from './ndjsonFile.js';
import { ROW_NUMBER_COLUMN, parquetSelectList, type SourceColumn } from './parquetSelect.js';

export interface ImportResult {
  tables: { table: string; rows: number; replaced: boolean }[];
}

export interface ImportOptions {
  /** What is happening, and with `of` how far the tables' writing has got. */
  onProgress?: (message: string, of?: { done: number; total: number }) => void;
}

/** One file, ready to load: its table and the SELECT (one `?`: the file) yielding its rows. */
interface LoadItem {
  readonly file: ExportFile;
  readonly table: string;
  readonly select: string;
  /** Rows in the file, known once the file is checked. */
  readonly rows: () => number;
}

type Progress = NonNullable<ImportOptions['onProgress']>;

/**
 * Imports GA4 export files (`bq extract` NDJSON or Parquet) into `events_*` tables of the DuckDB
 * file, creating it if needed. NDJSON is checked row by row against the schema in JS while DuckDB
 * loads it (the two overlap; both must succeed), Parquet is checked by its column types and
 * converted by name. One transaction replaces each day's table and refreshes the `events_*` view:
 * any error leaves the database as it was.
 */
export async function importFiles(
  dbPath: string,
  paths: string[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const progress: Progress = options.onProgress ?? (() => undefined);
  const files = findExportFiles(paths);
  const existed = dbPath === ':memory:' || existsSync(dbPath);
  const abort = new AbortController();
  const checked = new Map<ExportFile, NdjsonResult>();
  const ndjson = files.filter((f) => f.format === 'ndjson');
  const checking = (async () => {
    for (const [index, file] of ndjson.entries()) {
      progress(`checking ${basename(file.path)} (${index + 1}/${ndjson.length} JSON files)`);
      checked.set(file, await validateNdjsonFile(file.path, file.gzip, progress, abort.signal));
    }
  })();
  // Awaited below; this marks a rejection as handled while DuckDB is still busy.
  checking.catch(() => undefined);
  let engine: DuckdbEngine | undefined;
  let connection: DuckDBConnection | undefined;
  let committed = false;
  try {
    // A file whose name does not tell its day needs its rows' event_date first.
    if (ndjson.some((f) => f.suffixFromName === undefined)) await checking;
    engine = await DuckdbEngine.open(dbPath, { mode: 'write' });
    connection = await engine.connect();
    const items: LoadItem[] = [];
    for (const file of files) {
      if (file.format === 'parquet') {
        progress(`checking ${basename(file.path)}`);
        items.push(await prepareParquet(connection, file));
        continue;
      }
      const name = basename(file.path);
      const suffix =
        file.suffixFromName ??
        suffixFromEventDates(name, (checked.get(file) as NdjsonResult).dates);
      items.push({
        file,
        table: `events_${suffix}`,
        select: ndjsonSelect(file.gzip),
        rows: () => (checked.get(file) as NdjsonResult).rows,
      });
    }
    const result = await load(connection, items, checking, progress);
    committed = true;
    return result;
  } finally {
    abort.abort();
    await checking.catch(() => undefined);
    connection?.closeSync();
    await engine?.close();
    if (!committed && !existed) {
      // A failed import into a new file leaves no empty database behind.
      rmSync(dbPath, { force: true });
      rmSync(`${dbPath}.wal`, { force: true });
    }
  }
}

async function prepareParquet(connection: DuckDBConnection, file: ExportFile): Promise<LoadItem> {
  const name = basename(file.path);
  let columns: SourceColumn[];
  let rows: number;
  try {
    const described = await connection.runAndReadAll(
      `SELECT * FROM read_parquet(?, file_row_number = true) LIMIT 0`,
      [file.path],
    );
    const types = described.columnTypes();
    columns = described.columnNames().map((columnName, i) => ({
      name: columnName,
      type: types[i] as SourceColumn['type'],
    }));
    const counted = await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(?)`, [
      file.path,
    ]);
    rows = Number(counted.getRowObjectsJS()[0]?.n ?? 0);
  } catch (error) {
    throw new ImportError(`${name}: not a readable Parquet file: ${firstLine(error)}`, undefined, {
      cause: error,
    });
  }
  if (rows === 0) throw new ImportError(`${name}: no rows (the file is empty)`);
  const selectList = parquetSelectList(name, columns);
  const from = `FROM read_parquet(?, file_row_number = true)`;
  const suffix = file.suffixFromName ?? (await parquetDay(connection, file, selectList, from));
  return {
    file,
    table: `events_${suffix}`,
    select: `SELECT\n  ${selectList}\n${from}`,
    rows: () => rows,
  };
}

/** The one event_date of a Parquet file whose name does not tell its day. */
async function parquetDay(
  connection: DuckDBConnection,
  file: ExportFile,
  selectList: string,
  from: string,
): Promise<string> {
  const name = basename(file.path);
  let days: { value: string | null; row: number }[];
  try {
    const reader = await connection.runAndReadAll(
      `SELECT event_date AS value, min(${ROW_NUMBER_COLUMN}) + 1 AS row
       FROM (SELECT ${ROW_NUMBER_COLUMN}, ${selectList} ${from})
       GROUP BY event_date ORDER BY row LIMIT 2`,
      [file.path],
    );
    days = reader.getRowObjectsJS().map((d) => ({
      value: d.value === null ? null : String(d.value),
      row: Number(d.row),
    }));
  } catch (error) {
    throw new ImportError(`${name}: ${firstLine(error)}`, undefined, { cause: error });
  }
  const missing = days.find((d) => d.value === null);
  const [first, other] = days.filter((d) => d.value !== null);
  return suffixFromEventDates(name, {
    ...(first ? { first: { value: first.value as string, where: `row ${first.row}` } } : {}),
    ...(other ? { other: { value: other.value as string, where: `row ${other.row}` } } : {}),
    ...(missing ? { missingAt: `row ${missing.row}` } : {}),
  });
}

/** The one transaction: each table replaced and filled from its files, then the view. */
async function load(
  connection: DuckDBConnection,
  items: LoadItem[],
  checking: Promise<void>,
  progress: Progress,
): Promise<ImportResult> {
  const byTable = new Map<string, LoadItem[]>();
  for (const item of items) byTable.set(item.table, [...(byTable.get(item.table) ?? []), item]);
  const before = new Set(await listEventTables(connection));
  const tables: (ImportResult['tables'][number] & { files: LoadItem[] })[] = [];
  await connection.run('BEGIN TRANSACTION');
  try {
    const ordered = [...byTable.entries()].sort(([a], [b]) => a.localeCompare(b));
    for (const [index, [table, files]] of ordered.entries()) {
      progress(`writing ${table} from ${files.length} file${files.length === 1 ? '' : 's'}`, {
        done: index,
        total: ordered.length,
      });
      await connection.run(eventsTableDdl(table, { orReplace: true }));
      for (const item of files) {
        try {
          await connection.run(`INSERT INTO ${quoteIdent(table)} ${item.select}`, [item.file.path]);
        } catch (error) {
          // A row the JS check refuses explains itself better than DuckDB's reader does.
          await checking;
          throw new ImportError(`${basename(item.file.path)}: ${firstLine(error)}`, undefined, {
            cause: error,
          });
        }
      }
      const counted = await connection.runAndReadAll(
        `SELECT count(*) AS n FROM ${quoteIdent(table)}`,
      );
      const rows = Number(counted.getRowObjectsJS()[0]?.n ?? 0);
      tables.push({ table, rows, replaced: before.has(table), files });
    }
    await checking;
    for (const { table, rows, files } of tables) {
      const expected = files.reduce((sum, item) => sum + item.rows(), 0);
      if (rows !== expected) {
        throw new ImportError(`${table}: loaded ${rows} rows but its files hold ${expected}`);
      }
    }
    await refreshEventsView(connection);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    if (error instanceof PathlightError) throw error;
    throw new ImportError(`import failed, nothing was changed: ${firstLine(error)}`, undefined, {
      cause: error,
    });
  }
  const total = tables.reduce((sum, t) => sum + t.rows, 0);
  progress(`imported ${total} rows into ${tables.length} table${tables.length === 1 ? '' : 's'}`, {
    done: tables.length,
    total: tables.length,
  });
  return { tables: tables.map(({ table, rows, replaced }) => ({ table, rows, replaced })) };
}

/** DuckDB messages start with their kind ("Invalid Input Error: ..."); the first line says it. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).replace(/^Invalid Input Error: /, '');
}
