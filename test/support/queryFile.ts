import { DuckDBInstance } from '@duckdb/node-api';

/** Rows of one query on a DuckDB file opened read-only, values as JSON (BIGINTs as strings). */
export async function queryFile<T = Record<string, unknown>>(
  file: string,
  sql: string,
): Promise<T[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
