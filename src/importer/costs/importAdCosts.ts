import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckdbEngine } from '../../engines/duckdb/DuckdbEngine.js';
import { ImportError } from '../../errors/errors.js';
import { AD_COSTS_DDL, AD_COSTS_TABLE } from '../../schema/adCostsTable.js';
import { csvRecords } from '../offline/csvRecords.js';
import { costColumns, costRow, type CostRow } from './costRows.js';

export interface CostImportResult {
  file: string;
  rows: number;
  /** Rows whose day and key were new; the others replaced a row imported before. */
  added: number;
  replaced: number;
  currency: string | null;
}

/**
 * The rows of one cost-data CSV file, checked. A day and key given twice keeps its last row, as
 * a re-import would. Two different currencies in one file are an error: costs are summed.
 */
export function readCostFile(path: string): { rows: CostRow[]; currency: string | null } {
  const name = basename(path);
  if (!existsSync(path)) throw new ImportError(`${name}: no such file`, 'file');
  const [header, ...records] = csvRecords(readFileSync(path, 'utf8'), name);
  if (!header) throw new ImportError(`${name}: the file is empty`, 'file');
  if (records.length === 0) throw new ImportError(`${name}: a header but no rows`, 'file');
  const columns = costColumns(name, header);
  const byKey = new Map<string, CostRow>();
  let currency: { code: string; line: number } | undefined;
  for (const record of records) {
    const row = costRow(name, columns, record);
    if (row.currency !== null) {
      if (currency && currency.code !== row.currency) {
        throw new ImportError(
          `${name} line ${record.line}, column ${columns.indexOf('currency') + 1} (currency): ${row.currency} where line ${currency.line} has ${currency.code}; one file holds one currency`,
          'currency',
        );
      }
      currency ??= { code: row.currency, line: record.line };
    }
    byKey.set(JSON.stringify([row.date, row.utm_source, row.utm_medium, row.utm_id]), row);
  }
  return { rows: [...byKey.values()], currency: currency?.code ?? null };
}

const SELECT = `SELECT date, utm_source, utm_medium, utm_id, utm_campaign, impressions, clicks, cost, currency
FROM read_json(?, format = 'newline_delimited', records = true, columns = {
  'date': 'DATE', 'utm_source': 'VARCHAR', 'utm_medium': 'VARCHAR', 'utm_id': 'VARCHAR',
  'utm_campaign': 'VARCHAR', 'impressions': 'BIGINT', 'clicks': 'BIGINT', 'cost': 'DOUBLE',
  'currency': 'VARCHAR'
})`;

/**
 * Imports one cost-data CSV file into the DuckDB file's `ad_costs` table in one transaction: a
 * day and key already there is replaced, so importing the same file again changes nothing. A
 * currency other than the one already stored is refused.
 */
export async function importAdCosts(dbPath: string, path: string): Promise<CostImportResult> {
  const { rows, currency } = readCostFile(path);
  const name = basename(path);
  const engine = await DuckdbEngine.open(dbPath, { mode: 'write' });
  const connection = await engine.connect();
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-costs-'));
  try {
    await connection.run(AD_COSTS_DDL);
    const stored = await connection.runAndReadAll(
      `SELECT DISTINCT currency FROM ${AD_COSTS_TABLE} WHERE currency IS NOT NULL`,
    );
    const other = stored
      .getRowObjectsJS()
      .map((r) => String(r.currency))
      .find((code) => currency !== null && code !== currency);
    if (other) {
      throw new ImportError(
        `${name}: costs in ${currency ?? ''} where the costs already imported are in ${other}; one property has one currency`,
        'currency',
      );
    }
    const ndjson = join(dir, 'costs.ndjson');
    writeFileSync(ndjson, rows.map((r) => JSON.stringify(r)).join('\n'));
    await connection.run('BEGIN TRANSACTION');
    try {
      const before = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${AD_COSTS_TABLE}`);
      await connection.run(
        `INSERT INTO ${AD_COSTS_TABLE} ${SELECT}
         ON CONFLICT (date, utm_source, utm_medium, utm_id) DO UPDATE SET
           utm_campaign = EXCLUDED.utm_campaign, impressions = EXCLUDED.impressions,
           clicks = EXCLUDED.clicks, cost = EXCLUDED.cost, currency = EXCLUDED.currency`,
        [ndjson],
      );
      const after = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${AD_COSTS_TABLE}`);
      await connection.run('COMMIT');
      const added =
        Number(after.getRowObjectsJS()[0]?.n ?? 0) - Number(before.getRowObjectsJS()[0]?.n ?? 0);
      return { file: name, rows: rows.length, added, replaced: rows.length - added, currency };
    } catch (error) {
      await connection.run('ROLLBACK');
      throw new ImportError(
        `${name}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`,
        'file',
        { cause: error },
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    connection.closeSync();
    await engine.close();
  }
}
