import type { DuckDBConnection } from '@duckdb/node-api';
import { EVENTS_SCHEMA, DAILY_TABLE, INTRADAY_TABLE } from '../../schema/ga4Schema.js';
import { duckdbType, quoteIdent } from '../../schema/duckdbTypes.js';
import { OFFLINE_EVENTS_TABLE } from '../../schema/offlineEventsTable.js';

/**
 * BigQuery's wildcard table `events_*` for the embedded engine: a view over every
 * `events_YYYYMMDD` and `events_intraday_YYYYMMDD` table with `_TABLE_SUFFIX` as a column,
 * so one GoogleSQL query bounds `_TABLE_SUFFIX` the same way on both engines. Imported offline
 * events join it with their `event_date` as the suffix, so every query reads them as events.
 * Writers call `refreshEventsView` in the same transaction that adds or replaces a table.
 */
export const EVENTS_VIEW = 'events_wildcard';

export async function listEventTables(connection: DuckDBConnection): Promise<string[]> {
  const reader = await connection.runAndReadAll(
    `SELECT table_name FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = 'main' AND table_type = 'BASE TABLE' AND table_name LIKE 'events\\_%' ESCAPE '\\'
     ORDER BY table_name`,
  );
  return reader
    .getRowObjectsJS()
    .map((row) => String(row.table_name))
    .filter((name) => DAILY_TABLE.test(name) || INTRADAY_TABLE.test(name));
}

export async function refreshEventsView(connection: DuckDBConnection): Promise<void> {
  const tables = await listEventTables(connection);
  const columns = EVENTS_SCHEMA.map((x) => quoteIdent(x.name)).join(', ');
  const offline = await connection.runAndReadAll(
    `SELECT 1 FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = '${OFFLINE_EVENTS_TABLE}'`,
  );
  const offlineSelect =
    offline.getRows().length > 0
      ? [`SELECT ${columns}, event_date AS _TABLE_SUFFIX FROM ${OFFLINE_EVENTS_TABLE}`]
      : [];
  const body =
    tables.length === 0 && offlineSelect.length === 0
      ? `SELECT ${EVENTS_SCHEMA.map((x) => `CAST(NULL AS ${duckdbType(x)}) AS ${quoteIdent(x.name)}`).join(', ')},
           CAST(NULL AS VARCHAR) AS _TABLE_SUFFIX WHERE false`
      : [
          ...tables.map(
            (table) =>
              `SELECT ${columns}, '${table.slice('events_'.length)}' AS _TABLE_SUFFIX FROM ${quoteIdent(table)}`,
          ),
          ...offlineSelect,
        ].join('\nUNION ALL\n');
  await connection.run(`CREATE OR REPLACE VIEW ${EVENTS_VIEW} AS\n${body}`);
}
