import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles, type ImportResult } from '../../src/importer/importFiles.js';
import { EVENTS_SCHEMA } from '../../src/schema/ga4Schema.js';
import { duckdbType } from '../../src/schema/duckdbTypes.js';
import { REAL, rows, tempDir, withDuckdb } from './support.js';

/**
 * The two real days of Google's public GA4 sample, as `bq extract` wrote them. Expected counts
 * are the figures published for the dataset; values are checked against DuckDB reading the raw
 * files directly.
 */
let db: string;
let result: ImportResult;
beforeAll(async () => {
  db = join(tempDir(), 'events.duckdb');
  result = await importFiles(db, [REAL]);
});

describe('importing the real Parquet export', () => {
  it('reports one new table per day with its rows', () => {
    expect(result.tables).toEqual([
      { table: 'events_20201225', rows: 21_355, replaced: false },
      { table: 'events_20210131', rows: 26_489, replaced: false },
    ]);
  });

  it('matches the published events and users of both days', async () => {
    const counts = await withDuckdb(db, (c) =>
      rows(
        c,
        `SELECT _TABLE_SUFFIX AS day, count(*)::INT AS events, count(DISTINCT user_pseudo_id)::INT AS users
         FROM events_wildcard GROUP BY 1 ORDER BY 1`,
      ),
    );
    expect(counts).toEqual([
      { day: '20201225', events: 21_355, users: 2_491 },
      { day: '20210131', events: 26_489, users: 2_546 },
    ]);
  });

  it('gives both tables exactly the canonical column types', async () => {
    const expected = EVENTS_SCHEMA.map((f) => ({
      column_name: f.name,
      column_type: duckdbType(f),
    }));
    // DESCRIBE prints the types without quoting plain names; normalize quoting on both sides.
    const unquote = (t: string): string => t.replaceAll('"', '');
    for (const table of ['events_20201225', 'events_20210131']) {
      const described = await withDuckdb(db, (c) => rows(c, `DESCRIBE ${table}`));
      expect(
        described.map((r) => ({
          column_name: r.column_name,
          column_type: unquote(String(r.column_type)),
        })),
      ).toEqual(expected.map((e) => ({ ...e, column_type: unquote(e.column_type) })));
    }
  });

  it('keeps the values of the raw file, converted by field name', async () => {
    // The same aggregates over the raw Parquet (its own types and field order) and the table.
    const aggregates = (from: string): string => `
      SELECT sum(event_timestamp)::VARCHAR AS ts,
             count(DISTINCT CAST(stream_id AS VARCHAR)) AS streams,
             sum(len(event_params)) AS params,
             sum(list_sum(list_transform(event_params, lambda p: coalesce(p.value.int_value, 0))))::VARCHAR AS int_values,
             count(*) FILTER (WHERE geo.country = 'United States' AND geo.city = 'New York') AS new_york,
             count(*) FILTER (WHERE device.web_info.browser = 'Chrome') AS chrome,
             round(sum(ecommerce.purchase_revenue_in_usd), 6) AS revenue,
             sum(len(items)) AS items,
             round(sum(list_sum(list_transform(items, lambda i: coalesce(i.price_in_usd, 0)))), 6) AS item_prices,
             count(*) FILTER (WHERE traffic_source.medium = 'organic') AS organic,
             count(*) FILTER (WHERE privacy_info.analytics_storage IS NULL) AS no_storage,
             count(*) FILTER (WHERE app_info IS NULL) AS no_app
      FROM ${from}`;
    for (const day of ['20201225', '20210131']) {
      const [raw, imported] = await withDuckdb(db, async (c) => [
        await rows(c, aggregates(`read_parquet('${REAL}/events_${day}.parquet')`)),
        await rows(c, aggregates(`events_${day}`)),
      ]);
      expect(imported).toEqual(raw);
      expect(Number(raw?.[0]?.items)).toBeGreaterThan(0);
    }
  });

  it('leaves the columns the 2020 export lacks NULL (or empty)', async () => {
    const [row] = await withDuckdb(db, (c) =>
      rows(
        c,
        `SELECT count(collected_traffic_source) AS cts, count(session_traffic_source_last_click) AS stslc,
                count(is_active_user) AS active, count(batch_page_id) AS batch,
                count(device.browser) AS browser, count(*) FILTER (WHERE items IS NULL) AS null_items,
                sum(list_sum(list_transform(items, lambda i: len(i.item_params))))::INT AS item_params
         FROM events_20201225`,
      ),
    );
    expect(row).toEqual({
      cts: 0n,
      stslc: 0n,
      active: 0n,
      batch: 0n,
      browser: 0n,
      null_items: 0n,
      item_params: 0,
    });
  });
});
