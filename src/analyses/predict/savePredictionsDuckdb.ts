import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckdbEngine } from '../../engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../errors/errors.js';
import {
  PREDICTION_COLUMNS,
  predictionRows,
  predictionTableDescription,
  type PredictionColumnType,
} from './predictionTable.js';
import type { PredictResult } from './runPredict.js';

/** Why a reader of the events file cannot hold the predictions: the service only reads it. */
export const READ_ONLY_FILE =
  'table: the DuckDB events file is open read-only here (the service reads it so); write predictions into it with `pathlight predict --table`';

/** A table in the events file: a plain name, so it never needs quoting rules beyond double quotes. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const TYPES: Record<PredictionColumnType, string> = {
  STRING: 'VARCHAR',
  FLOAT64: 'DOUBLE',
  INT64: 'BIGINT',
  TIMESTAMP: 'TIMESTAMP',
};
/** The table comment that marks a table as predictions, and starts every description written. */
const MARK = 'Pathlight predictions:';

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function existing(connection: DuckDBConnection, table: string) {
  const reader = await connection.runAndReadAll(
    `SELECT table_type, (SELECT comment FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = $name) AS comment
     FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $name`,
    { name: table },
  );
  const row = reader.getRowsJS()[0];
  return row ? { type: String(row[0]), comment: row[1] === null ? '' : String(row[1]) } : null;
}

/** A plain table name, in a file this process opened for writing. */
export function checkDuckdbTable(engine: DuckdbEngine, table: string): void {
  if (!NAME.test(table)) {
    throw new InputError(
      `table: ${JSON.stringify(table)} is not a DuckDB table name (letters, digits, underscores; no dots)`,
      'table',
    );
  }
  if (/^events_/i.test(table)) {
    throw new InputError(
      `table: ${table} starts with events_, the names the events view reads; choose another name`,
      'table',
    );
  }
  if (!engine.writable) {
    throw new InputError(READ_ONLY_FILE, 'table');
  }
}

/**
 * Creates or replaces `table` in the DuckDB events file with one row per user, its comment the
 * goal, model and data range. Rows are staged in a temporary table and the table replaced in one
 * transaction, so a failure leaves the old table as it was. A table or view that predictions did
 * not write (the events, imports) is refused.
 */
export async function savePredictionsDuckdb(
  engine: DuckdbEngine,
  result: PredictResult,
  table: string,
  now: Date,
): Promise<{ rows: number }> {
  checkDuckdbTable(engine, table);
  const connection = await engine.connect();
  try {
    const found = await existing(connection, table);
    if (found && !(found.type === 'BASE TABLE' && found.comment.startsWith(MARK))) {
      throw new InputError(
        `table: ${table} already exists in the DuckDB file and is not a predictions table; choose another name`,
        'table',
      );
    }
    const rows = predictionRows(result, now);
    await stage(connection, rows);
    const select = PREDICTION_COLUMNS.map(
      (c) => `CAST("${c.name}" AS ${TYPES[c.type]}) AS "${c.name}"`,
    ).join(', ');
    await connection.run('BEGIN TRANSACTION');
    try {
      await connection.run(
        `CREATE OR REPLACE TABLE "${table}" AS SELECT ${select} FROM predictions_staged`,
      );
      await connection.run(
        `COMMENT ON TABLE "${table}" IS ${quote(predictionTableDescription(result, now))}`,
      );
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
    return { rows: rows.length };
  } finally {
    await connection.run('DROP TABLE IF EXISTS predictions_staged').catch(() => undefined);
    connection.closeSync();
  }
}

/** Every row into a temporary table, text and numbers as they are (timestamps cast on copy). */
async function stage(connection: DuckDBConnection, rows: readonly Record<string, unknown>[]) {
  const columns = PREDICTION_COLUMNS.map(
    (c) => `"${c.name}" ${c.type === 'TIMESTAMP' ? 'VARCHAR' : TYPES[c.type]}`,
  );
  await connection.run(`CREATE OR REPLACE TEMP TABLE predictions_staged (${columns.join(', ')})`);
  const appender = await connection.createAppender('predictions_staged', 'main', 'temp');
  for (const row of rows) {
    for (const c of PREDICTION_COLUMNS) {
      const v = row[c.name];
      if (v === null || v === undefined) appender.appendNull();
      else if (c.type === 'INT64') appender.appendBigInt(BigInt(v as number));
      else if (c.type === 'FLOAT64') appender.appendDouble(v as number);
      else appender.appendVarchar(String(v));
    }
    appender.endRow();
  }
  appender.closeSync();
}
