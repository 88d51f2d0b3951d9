import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';

/** Nested values keep their child types: a DATE in a struct is a date, not a midnight timestamp. */
let duckdb: DuckdbEngine;
beforeAll(async () => {
  duckdb = await DuckdbEngine.open(':memory:');
});
afterAll(async () => {
  await duckdb.close();
});

describe('DuckDB rows normalized to JSON, nested', () => {
  it('passes each child type down into structs, lists, arrays and maps', async () => {
    const { rows } = await duckdb.query(
      `SELECT
         {'d': DATE '2020-11-01', 'ts': TIMESTAMP '2020-11-01 10:00:00.123', 'h': 170141183460469231731687303715884105727::HUGEINT, 'small': 42::HUGEINT, 'n': 12.34::DECIMAL(10, 2)} AS s,
         [DATE '2020-12-31', NULL, DATE '1969-07-20'] AS dates,
         [TIMESTAMP '2021-01-31 23:59:59.999'] AS stamps,
         [{'at': DATE '2021-01-01', 'inner': [{'day': DATE '2021-01-02', 'x': 9007199254740993::HUGEINT}]}] AS deep,
         array_value(DATE '2020-11-02', DATE '2020-11-03') AS fixed,
         MAP {DATE '2020-11-04': TIMESTAMP '2020-11-04 00:00:01'} AS m,
         [1.5::DECIMAL(4, 1), -0.25::DECIMAL(5, 2)] AS decimals`,
      {},
      { name: 'nested_types' },
    );
    expect(rows).toEqual([
      {
        s: {
          d: '2020-11-01',
          ts: '2020-11-01T10:00:00.123Z',
          h: '170141183460469231731687303715884105727',
          small: 42,
          n: 12.34,
        },
        dates: ['2020-12-31', null, '1969-07-20'],
        stamps: ['2021-01-31T23:59:59.999Z'],
        deep: [{ at: '2021-01-01', inner: [{ day: '2021-01-02', x: '9007199254740993' }] }],
        fixed: ['2020-11-02', '2020-11-03'],
        m: [{ key: '2020-11-04', value: '2020-11-04T00:00:01.000Z' }],
        decimals: [1.5, -0.25],
      },
    ]);
  });
});
