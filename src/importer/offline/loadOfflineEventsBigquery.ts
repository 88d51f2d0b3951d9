import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BigqueryEngine, BigqueryTableField } from '../../engines/bigquery/BigqueryEngine.js';
import { ConfigError } from '../../errors/errors.js';
import { EVENTS_SCHEMA, type Field } from '../../schema/ga4Schema.js';
import { runQuery } from '../../sql/runQuery.js';
import { readOfflineEventsFile, type OfflineImportResult } from './importOfflineEvents.js';

const BQ_TYPES: Record<string, string> = {
  STRING: 'STRING',
  INT64: 'INTEGER',
  FLOAT64: 'FLOAT',
  BOOL: 'BOOLEAN',
  STRUCT: 'RECORD',
};
const bqField = (field: Field): BigqueryTableField => ({
  name: field.name,
  type: BQ_TYPES[field.type] as string,
  mode: field.mode,
  ...(field.type === 'STRUCT' ? { fields: field.fields.map(bqField) } : {}),
});

/** The offline table's schema on BigQuery: the export's columns, then the content key and file. */
export const OFFLINE_TABLE_FIELDS: readonly BigqueryTableField[] = [
  ...EVENTS_SCHEMA.map(bqField),
  { name: 'content_key', type: 'STRING', mode: 'NULLABLE' },
  { name: 'source_file', type: 'STRING', mode: 'NULLABLE' },
];

/**
 * Imports offline-event CSV files into the BigQuery table PATHLIGHT_BQ_OFFLINE_TABLE names: every
 * file checked first (one bad cell imports nothing), then per file the keys already imported are
 * looked up and the other rows appended in one load job (all of the file's new rows or none).
 */
export async function loadOfflineEventsBigquery(
  engine: BigqueryEngine,
  paths: readonly string[],
): Promise<OfflineImportResult> {
  const table = engine.target.offlineTable;
  if (!table) {
    throw new ConfigError(
      'environment variable PATHLIGHT_BQ_OFFLINE_TABLE: required to import offline events into BigQuery',
      'PATHLIGHT_BQ_OFFLINE_TABLE',
    );
  }
  const parsed = paths.map((path) => ({ path, rows: readOfflineEventsFile(path) }));
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-offline-bq-'));
  try {
    const files: OfflineImportResult['files'] = [];
    for (const [index, { path, rows }] of parsed.entries()) {
      const existing = await importedKeys(
        engine,
        rows.map((r) => r.content_key),
      );
      const fresh = rows.filter((r) => !existing.has(r.content_key));
      if (fresh.length > 0) {
        const ndjson = join(dir, `${index}.ndjson`);
        const file = basename(path);
        writeFileSync(
          ndjson,
          fresh.map((r) => JSON.stringify({ ...r, source_file: file })).join('\n'),
        );
        await engine.loadNdjson(table, ndjson, OFFLINE_TABLE_FIELDS);
      }
      files.push({ file: basename(path), rows: rows.length, added: fresh.length });
    }
    return { files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Keys already in the table; a table not created yet holds none. */
async function importedKeys(engine: BigqueryEngine, keys: string[]): Promise<Set<string>> {
  try {
    const run = await runQuery(engine, 'offline_event_keys', { keys });
    return new Set(run.rows.map((r) => String(r.content_key)));
  } catch (error) {
    if (/not ?found/i.test(error instanceof Error ? error.message : '')) return new Set();
    throw error;
  }
}
