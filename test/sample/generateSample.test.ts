import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/sample/generateSample.js';
import { EVENTS_SCHEMA } from '../../src/schema/ga4Schema.js';
import { duckdbType } from '../../src/schema/duckdbTypes.js';
import { runCli } from '../support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'pathlight-sample-test-'));
const options = { days: 14, users: 400, seed: 7, endDate: '2026-10-31' };

async function query<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

let file: string;
let events: number;
beforeAll(async () => {
  file = join(dir, 'a.duckdb');
  events = (await generateSample(file, options)).events;
}, 120_000);

describe('the sample generator', () => {
  it('writes 13 daily tables and an intraday table for the last day, with every row counted', async () => {
    const tables = await query<{ table_name: string }>(
      file,
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'events_%' AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      ...Array.from({ length: 13 }, (_, i) => `events_202610${String(18 + i).padStart(2, '0')}`),
      'events_intraday_20261031',
    ]);
    const [count] = await query<{ n: string }>(file, 'SELECT COUNT(*) AS n FROM events_wildcard');
    expect(Number(count?.n)).toBe(events);
  });

  it('conforms to the export schema: every column, type and nesting', async () => {
    const columns = await query<{ column_name: string; column_type: string }>(
      file,
      'DESCRIBE events_20261020',
    );
    const expected = EVENTS_SCHEMA.map((f) => [f.name, duckdbType(f).replaceAll('"', '')]);
    expect(columns.map((c) => [c.column_name, c.column_type.replaceAll('"', '')])).toEqual(
      expected,
    );
  });

  it('is deterministic for a seed and differs for another', async () => {
    const digest = (f: string) =>
      query<{ h: string }>(
        f,
        "SELECT md5(string_agg(CAST(e AS VARCHAR), '|' ORDER BY CAST(e AS VARCHAR))) AS h FROM events_wildcard AS e",
      );
    const again = join(dir, 'b.duckdb');
    const other = join(dir, 'c.duckdb');
    await generateSample(again, options);
    await generateSample(other, { ...options, seed: 8 });
    const [a] = await digest(file);
    const [b] = await digest(again);
    const [c] = await digest(other);
    expect(b?.h).toBe(a?.h);
    expect(c?.h).not.toBe(a?.h);
  }, 120_000);

  it('holds what the reports need: consent-mode rows, purchases with items, gclid sessions, midnight crossings', async () => {
    const [facts] = await query<Record<string, string>>(
      file,
      `SELECT
         AVG(CASE WHEN user_pseudo_id IS NULL THEN 1 ELSE 0 END) AS consent_share,
         COUNT(*) FILTER (WHERE event_name = 'purchase') AS purchases,
         COUNT(*) FILTER (WHERE event_name = 'purchase' AND (len(items) = 0 OR ecommerce.transaction_id IS NULL)) AS bare_purchases,
         COUNT(*) FILTER (WHERE list_contains(list_transform(event_params, p -> p.key), 'gclid')) AS gclid_events,
         COUNT(*) FILTER (WHERE _TABLE_SUFFIX LIKE 'intraday_%' AND (traffic_source IS NOT NULL OR user_ltv IS NOT NULL OR is_active_user IS NOT NULL)) AS intraday_filled
       FROM events_wildcard`,
    );
    expect(Number(facts?.consent_share)).toBeGreaterThan(0.01);
    expect(Number(facts?.consent_share)).toBeLessThan(0.1);
    expect(Number(facts?.purchases)).toBeGreaterThan(0);
    expect(Number(facts?.bare_purchases)).toBe(0);
    expect(Number(facts?.gclid_events)).toBeGreaterThan(0);
    expect(Number(facts?.intraday_filled)).toBe(0);
    const [crossing] = await query<{ n: string }>(
      file,
      `SELECT COUNT(*) AS n FROM (
         SELECT user_pseudo_id, list_filter(event_params, p -> p.key = 'ga_session_id')[1].value.int_value AS sid
         FROM events_wildcard WHERE user_pseudo_id IS NOT NULL
         GROUP BY ALL HAVING COUNT(DISTINCT event_date) > 1)`,
    );
    expect(Number(crossing?.n)).toBeGreaterThan(0);
  });

  it('answers the CLI with a summary, and names the flag at fault', async () => {
    const out = join(dir, 'cli.duckdb');
    const ok = await runCli(['sample', '--days', '3', '--users', '50', '--seed', '3', '--db', out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^[\d,]+ events in 3 tables written to /);
    const bad = await runCli(['sample', '--days', 'ninety', '--db', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--days: expected a whole number, got "ninety"');
  }, 60_000);
});
