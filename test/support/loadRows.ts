import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { refreshEventsView } from '../../src/engines/duckdb/eventsView.js';
import { EVENTS_SCHEMA } from '../../src/schema/ga4Schema.js';
import { duckdbType, eventsTableDdl, quoteIdent } from '../../src/schema/duckdbTypes.js';

/** A GA4 export row as plain JS, in the EVENTS_SCHEMA shape; missing fields are NULL. */
export type EventRow = Record<string, unknown>;

/**
 * Writes rows into `events_<suffix>` tables of a new DuckDB file (suffix `YYYYMMDD` or
 * `intraday_YYYYMMDD`), through DuckDB's JSON reader with the schema's exact column types.
 */
export async function createEventsDb(
  tables: Record<string, EventRow[]>,
  dir?: string,
): Promise<string> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'pathlight-events-'));
  const file = join(folder, 'events.duckdb');
  const engine = await DuckdbEngine.open(file, { mode: 'write' });
  const connection = await engine.connect();
  try {
    const columns = `{${EVENTS_SCHEMA.map((f) => `${quoteIdent(f.name).replaceAll('"', "'")}: '${duckdbType(f).replaceAll("'", "''")}'`).join(', ')}}`;
    for (const [suffix, rows] of Object.entries(tables)) {
      const table = `events_${suffix}`;
      await connection.run(eventsTableDdl(table, { orReplace: true }));
      if (rows.length === 0) continue;
      const json = join(folder, `${table}.ndjson`);
      writeFileSync(
        json,
        rows
          .map((row) =>
            JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
          )
          .join('\n'),
      );
      await connection.run(
        `INSERT INTO ${quoteIdent(table)} SELECT * FROM read_json('${json}', format = 'newline_delimited', columns = ${columns})`,
      );
      rmSync(json);
    }
    await refreshEventsView(connection);
  } finally {
    connection.closeSync();
    await engine.close();
  }
  return file;
}

/** Builds an event_params array from a plain object: strings, integers and doubles typed as GA4 does. */
export function params(values: Record<string, string | number | null>): EventRow[] {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value: {
      string_value: typeof value === 'string' ? value : null,
      int_value: typeof value === 'number' && Number.isInteger(value) ? value : null,
      float_value: null,
      double_value: typeof value === 'number' && !Number.isInteger(value) ? value : null,
    },
  }));
}
