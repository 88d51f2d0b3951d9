import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckdbEngine } from '../../engines/duckdb/DuckdbEngine.js';
import { refreshEventsView } from '../../engines/duckdb/eventsView.js';
import { ImportError } from '../../errors/errors.js';
import { EVENTS_SCHEMA } from '../../schema/ga4Schema.js';
import { duckdbType, quoteIdent } from '../../schema/duckdbTypes.js';
import { OFFLINE_EVENTS_TABLE, offlineEventsTableDdl } from '../../schema/offlineEventsTable.js';
import { csvRecords } from './csvRecords.js';
import { offlineColumns, offlineEventRow, type OfflineEventRow } from './offlineEventRows.js';

export interface OfflineImportResult {
  files: { file: string; rows: number; added: number }[];
}

/** Every row of one offline-event CSV file, checked; the first bad cell stops the whole file. */
export function readOfflineEventsFile(path: string): OfflineEventRow[] {
  const name = basename(path);
  if (!existsSync(path)) throw new ImportError(`${name}: no such file`, 'file');
  const records = csvRecords(readFileSync(path, 'utf8'), name);
  const [header, ...rows] = records;
  if (!header) throw new ImportError(`${name}: the file is empty`, 'file');
  if (rows.length === 0) throw new ImportError(`${name}: a header but no rows`, 'file');
  const columns = offlineColumns(name, header);
  // An identical row twice in a file is one event logged twice: it is kept once.
  const byKey = new Map<string, OfflineEventRow>();
  for (const record of rows) {
    const row = offlineEventRow(name, columns, record);
    if (!byKey.has(row.content_key)) byKey.set(row.content_key, row);
  }
  return [...byKey.values()];
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const JSON_COLUMNS = `{${[
  ...EVENTS_SCHEMA.map((f) => `${literal(f.name)}: ${literal(duckdbType(f))}`),
  `'content_key': 'VARCHAR'`,
].join(', ')}}`;
const SELECT = `SELECT ${[...EVENTS_SCHEMA.map((f) => quoteIdent(f.name)), 'content_key', '? AS source_file'].join(', ')}
FROM read_json(?, format = 'newline_delimited', records = true, columns = ${JSON_COLUMNS})`;

/**
 * Imports offline-event CSV files (GA4's offline-event import shape) into the DuckDB file's
 * `offline_events` table, which the `events_*` view then includes. Every file is read and checked
 * before anything is written, so one bad cell imports nothing; each file is then written in its
 * own transaction. A row already imported (same content key) is skipped: importing a file again
 * changes nothing.
 */
export async function importOfflineEvents(
  dbPath: string,
  paths: readonly string[],
): Promise<OfflineImportResult> {
  if (paths.length === 0) throw new ImportError('no offline-event files given', 'files');
  const parsed = paths.map((path) => ({ path, rows: readOfflineEventsFile(path) }));
  const engine = await DuckdbEngine.open(dbPath, { mode: 'write' });
  const connection = await engine.connect();
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-offline-'));
  try {
    await connection.run(offlineEventsTableDdl());
    const files: OfflineImportResult['files'] = [];
    for (const [index, { path, rows }] of parsed.entries()) {
      const ndjson = join(dir, `${index}.ndjson`);
      writeFileSync(ndjson, rows.map((r) => JSON.stringify(r)).join('\n'));
      const added = await writeFile(connection, ndjson, basename(path));
      files.push({ file: basename(path), rows: rows.length, added });
    }
    return { files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    connection.closeSync();
    await engine.close();
  }
}

async function count(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) AS n FROM ${OFFLINE_EVENTS_TABLE}`,
  );
  return Number(reader.getRowObjectsJS()[0]?.n ?? 0);
}

/** One file's rows in one transaction, the view refreshed inside it: all of them or none. */
async function writeFile(
  connection: DuckDBConnection,
  ndjson: string,
  name: string,
): Promise<number> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const before = await count(connection);
    await connection.run(
      `INSERT INTO ${OFFLINE_EVENTS_TABLE} ${SELECT} ON CONFLICT (content_key) DO NOTHING`,
      [name, ndjson],
    );
    await refreshEventsView(connection);
    const added = (await count(connection)) - before;
    await connection.run('COMMIT');
    return added;
  } catch (error) {
    await connection.run('ROLLBACK');
    throw new ImportError(
      `${name}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`,
      'file',
      { cause: error },
    );
  }
}
