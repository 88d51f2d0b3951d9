import { fileURLToPath } from 'node:url';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ga4');
export const FIXTURE_JSON = join(FIXTURES, 'events_20201225.json');
export const FIXTURE_PARQUET = join(FIXTURES, 'events_20201225.parquet');
/** The two real export days beside the project (`../shared`, next to the repository). */
export const REAL = fileURLToPath(
  new URL('../../../shared/data/ga4-public-sample', import.meta.url),
);
/** Rows in the fixture slice (see PROVENANCE.md). */
export const FIXTURE_ROWS = 275;

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pathlight-import-test-'));
}

/** Copies a fixture under another name into `dir`; returns its path. */
export function copyAs(source: string, dir: string, name: string): string {
  const target = join(dir, name);
  cpSync(source, target);
  return target;
}

/** Runs `fn` on a plain DuckDB connection (in memory, or the file read-only), then closes it. */
export async function withDuckdb<T>(
  file: string | undefined,
  fn: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(
    file ?? ':memory:',
    file ? { access_mode: 'READ_ONLY' } : {},
  );
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function rows(
  connection: DuckDBConnection,
  sql: string,
  values?: unknown[],
): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql, values as never);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** An order-independent fingerprint of a table's (or query's) rows. */
export const fingerprintSql = (from: string): string =>
  `SELECT count(*) AS n, md5(string_agg(h, ',' ORDER BY h)) AS digest
   FROM (SELECT md5(CAST(t AS VARCHAR)) AS h FROM ${from} t)`;

export interface DbSnapshot {
  tables: Record<string, { n: string; digest: string }>;
  view: string | null;
  viewRows: string | null;
}

/** Every table with its fingerprint, and the events_wildcard view's SQL and row count. */
export async function snapshot(db: string): Promise<DbSnapshot> {
  return withDuckdb(db, async (connection) => {
    const names = await rows(
      connection,
      `SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const tables: DbSnapshot['tables'] = {};
    for (const { table_name } of names) {
      const [print] = await rows(connection, fingerprintSql(`"${String(table_name)}"`));
      tables[String(table_name)] = { n: String(print?.n), digest: String(print?.digest) };
    }
    const [view] = await rows(
      connection,
      `SELECT sql FROM duckdb_views() WHERE view_name = 'events_wildcard'`,
    );
    const viewRows = view
      ? String((await rows(connection, 'SELECT count(*) AS n FROM events_wildcard'))[0]?.n)
      : null;
    return { tables, view: view ? String(view.sql) : null, viewRows };
  });
}
