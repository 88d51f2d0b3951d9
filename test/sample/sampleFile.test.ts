import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/errors.js';
import { generateSample } from '../../src/sample/generateSample.js';
import { queryFile } from '../support/queryFile.js';

const dir = mkdtempSync(join(tmpdir(), 'pathlight-sample-file-test-'));

const query = queryFile;

/** Rows per table, by table name. */
async function tableRows(file: string): Promise<Record<string, number>> {
  const tables = await query<{ table_name: string }>(
    file,
    "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'events_%' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const rows: Record<string, number> = {};
  for (const { table_name: name } of tables) {
    const [row] = await query<{ n: string }>(file, `SELECT COUNT(*) AS n FROM "${name}"`);
    rows[name] = Number(row?.n);
  }
  return rows;
}

describe('the sample file', () => {
  it('is written in row groups of the size asked for, holding the same rows as with the default size', async () => {
    const options = { days: 2, users: 3000, seed: 3 };
    const file = join(dir, 'groups.duckdb');
    const usual = join(dir, 'usual.duckdb');
    await generateSample(file, { ...options, rowGroupSize: 2048 });
    await generateSample(usual, options);
    const rows = await tableRows(file);
    const [day] = Object.keys(rows);
    // Days this large fill several small row groups, which DuckDB writes while inserting.
    expect(rows[day!]).toBeGreaterThan(3 * 2048);
    // The first column's own segments (not its validity mask's) add up to each row group's rows.
    const groups = await query<{ rows: string }>(
      file,
      `SELECT sum(count) AS rows FROM pragma_storage_info('${day}') WHERE column_path = '[0]' GROUP BY row_group_id`,
    );
    expect(groups.length).toBeGreaterThanOrEqual(Math.ceil(rows[day!]! / 2048));
    expect(Math.max(...groups.map((g) => Number(g.rows)))).toBeLessThanOrEqual(2048);
    expect(groups.reduce((sum, g) => sum + Number(g.rows), 0)).toBe(rows[day!]);
    const digest = (f: string) =>
      query<{ h: string; n: string }>(
        f,
        "SELECT md5(string_agg(CAST(e AS VARCHAR), '|' ORDER BY CAST(e AS VARCHAR))) AS h, COUNT(*) AS n FROM events_wildcard AS e",
      );
    const [small] = await digest(file);
    const [large] = await digest(usual);
    expect(Number(small?.n)).toBe(Object.values(rows).reduce((a, b) => a + b));
    expect(small).toEqual(large);
  }, 120_000);

  it('names a row group size DuckDB cannot use', async () => {
    const attempt = generateSample(join(dir, 'bad.duckdb'), {
      days: 2,
      users: 10,
      seed: 3,
      rowGroupSize: 1000,
    });
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(
      /^rowGroupSize: expected a whole multiple of 2048, got 1000$/,
    );
  });

  it('replaces the days it covers in an existing file and keeps the others, each counted once', async () => {
    const earlier = { days: 5, users: 300, seed: 4, endDate: '2026-10-31' };
    const later = { days: 3, users: 300, seed: 5, endDate: '2026-11-02' };
    // Each sample on its own, in fresh files, says what the merged file must hold.
    await generateSample(join(dir, 'earlier.duckdb'), earlier);
    await generateSample(join(dir, 'later.duckdb'), later);
    const earlierRows = await tableRows(join(dir, 'earlier.duckdb'));
    const laterRows = await tableRows(join(dir, 'later.duckdb'));
    expect(Object.keys(earlierRows)).toEqual([
      'events_20261027',
      'events_20261028',
      'events_20261029',
      'events_20261030',
      'events_intraday_20261031',
    ]);
    expect(Object.keys(laterRows)).toEqual([
      'events_20261031',
      'events_20261101',
      'events_intraday_20261102',
    ]);

    const merged = join(dir, 'merged.duckdb');
    await generateSample(merged, earlier);
    await generateSample(merged, later);
    const { events_intraday_20261031: replaced, ...kept } = earlierRows;
    expect(replaced).toBeGreaterThan(0);
    expect(await tableRows(merged)).toEqual({ ...kept, ...laterRows });
    const [view] = await query<{ n: string }>(merged, 'SELECT COUNT(*) AS n FROM events_wildcard');
    const expected = [...Object.values(kept), ...Object.values(laterRows)].reduce((a, b) => a + b);
    expect(Number(view?.n)).toBe(expected);
  }, 120_000);
});
