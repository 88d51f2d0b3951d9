import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BigqueryEngine, BigqueryTableField } from '../../engines/bigquery/BigqueryEngine.js';
import { ConfigError, ImportError } from '../../errors/errors.js';
import { runQuery } from '../../sql/runQuery.js';
import type { CostRow } from './costRows.js';
import { readCostFile, type CostImportResult } from './importAdCosts.js';

/** The costs table on BigQuery: GA4's cost-data columns, typed as the embedded table's. */
export const COST_TABLE_FIELDS: readonly BigqueryTableField[] = [
  { name: 'date', type: 'DATE', mode: 'REQUIRED' },
  { name: 'utm_source', type: 'STRING', mode: 'REQUIRED' },
  { name: 'utm_medium', type: 'STRING', mode: 'REQUIRED' },
  { name: 'utm_id', type: 'STRING', mode: 'REQUIRED' },
  { name: 'utm_campaign', type: 'STRING', mode: 'NULLABLE' },
  { name: 'impressions', type: 'INTEGER', mode: 'NULLABLE' },
  { name: 'clicks', type: 'INTEGER', mode: 'NULLABLE' },
  { name: 'cost', type: 'FLOAT', mode: 'REQUIRED' },
  { name: 'currency', type: 'STRING', mode: 'NULLABLE' },
];

const KEY = ['date', 'utm_source', 'utm_medium', 'utm_id'] as const;
const SQL_TYPES: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64' };
const quoted = (table: string) => `\`${table}\``;

/** `CREATE TABLE IF NOT EXISTS` with the costs schema: the first import makes the table. */
export function costTableDdl(table: string): string {
  const columns = COST_TABLE_FIELDS.map(
    (f) => `  ${f.name} ${SQL_TYPES[f.type] ?? f.type}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${quoted(table)} (\n${columns.join(',\n')}\n)`;
}

/**
 * One MERGE, so one atomic statement: a day and key already in the table takes the staged row's
 * values, a new one is inserted. Other rows are left alone.
 */
export function costMergeSql(table: string, staging: string): string {
  const others = COST_TABLE_FIELDS.map((f) => f.name).filter(
    (name) => !(KEY as readonly string[]).includes(name),
  );
  const all = COST_TABLE_FIELDS.map((f) => f.name);
  return `MERGE ${quoted(table)} AS t
USING ${quoted(staging)} AS s
ON ${KEY.map((k) => `t.${k} = s.${k}`).join(' AND ')}
WHEN MATCHED THEN UPDATE SET ${others.map((c) => `${c} = s.${c}`).join(', ')}
WHEN NOT MATCHED THEN INSERT (${all.join(', ')}) VALUES (${all.map((c) => `s.${c}`).join(', ')})`;
}

/** The key `ad_cost_keys.sql` spells: lengths in characters keep two keys from spelling alike. */
export function costKey(row: Pick<CostRow, (typeof KEY)[number]>): string {
  const len = (text: string) => [...text].length;
  return `${row.date} ${len(row.utm_source)}:${row.utm_source}${len(row.utm_medium)}:${row.utm_medium}${row.utm_id}`;
}

/**
 * Imports one cost-data CSV file into the BigQuery table PATHLIGHT_BQ_COSTS_TABLE names: the file
 * is checked whole first, its rows loaded into a staging table beside the costs table by one
 * load job, then merged in one statement (a day and key imported again replaces its row, so
 * the same file twice changes nothing), and the staging table dropped.
 */
export async function loadAdCostsBigquery(
  engine: BigqueryEngine,
  path: string,
): Promise<CostImportResult> {
  const table = engine.target.costsTable;
  if (!table) {
    throw new ConfigError(
      'environment variable PATHLIGHT_BQ_COSTS_TABLE: required to import ad costs into BigQuery',
      'PATHLIGHT_BQ_COSTS_TABLE',
    );
  }
  const { rows, currency } = readCostFile(path);
  const name = basename(path);
  await engine.query(costTableDdl(table), {}, { name: 'ad_costs_create' });
  await refuseOtherCurrency(engine, name, currency);
  const existing = new Set(
    (await runQuery(engine, 'ad_cost_keys', { keys: rows.map(costKey) })).rows.map((r) =>
      String(r.cost_key),
    ),
  );
  const staging = `${table}_load_${randomUUID().replaceAll('-', '')}`;
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-costs-bq-'));
  try {
    const ndjson = join(dir, 'costs.ndjson');
    writeFileSync(ndjson, rows.map((r) => JSON.stringify(r)).join('\n'));
    await engine.loadNdjson(staging, ndjson, COST_TABLE_FIELDS, { replace: true });
    await engine.query(costMergeSql(table, staging), {}, { name: 'ad_costs_merge' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await engine
      .query(`DROP TABLE IF EXISTS ${quoted(staging)}`, {}, { name: 'ad_costs_staging_drop' })
      .catch(() => undefined); // a staging table left behind holds no costs anyone reads
  }
  const replaced = rows.filter((r) => existing.has(costKey(r))).length;
  return { file: name, rows: rows.length, added: rows.length - replaced, replaced, currency };
}

async function refuseOtherCurrency(
  engine: BigqueryEngine,
  name: string,
  currency: string | null,
): Promise<void> {
  if (currency === null) return;
  const stored = (await runQuery(engine, 'ad_cost_currencies', {})).rows.map((r) =>
    String(r.currency),
  );
  const other = stored.find((code) => code !== currency);
  if (other) {
    throw new ImportError(
      `${name}: costs in ${currency} where the costs already imported are in ${other}; one property has one currency`,
      'currency',
    );
  }
}
