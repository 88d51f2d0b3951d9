import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import {
  datetimeToIso,
  decodeRows,
  timestampToIso,
  type BigqueryField,
  type RestRow,
} from '../../src/engines/bigquery/normalizeBigquery.js';

/**
 * The same logical values, once as BigQuery's REST API sends them and once computed by DuckDB
 * through its engine: both must normalize to identical rows.
 */
const FIELDS: BigqueryField[] = [
  { name: 'i', type: 'INTEGER', mode: 'NULLABLE' },
  { name: 'big', type: 'INTEGER', mode: 'NULLABLE' },
  { name: 'neg_big', type: 'INTEGER', mode: 'NULLABLE' },
  { name: 'missing', type: 'INTEGER', mode: 'NULLABLE' },
  { name: 'x', type: 'FLOAT', mode: 'NULLABLE' },
  { name: 'nan', type: 'FLOAT', mode: 'NULLABLE' },
  { name: 'inf', type: 'FLOAT', mode: 'NULLABLE' },
  { name: 'num', type: 'NUMERIC', mode: 'NULLABLE' },
  { name: 'b', type: 'BOOLEAN', mode: 'NULLABLE' },
  { name: 'ts_micros', type: 'TIMESTAMP', mode: 'NULLABLE' },
  { name: 'ts_seconds', type: 'TIMESTAMP', mode: 'NULLABLE' },
  { name: 'ts_whole', type: 'TIMESTAMP', mode: 'NULLABLE' },
  { name: 'ts_before_epoch', type: 'TIMESTAMP', mode: 'NULLABLE' },
  { name: 'd', type: 'DATE', mode: 'NULLABLE' },
  { name: 'dt', type: 'DATETIME', mode: 'NULLABLE' },
  { name: 'bytes', type: 'BYTES', mode: 'NULLABLE' },
  { name: 's', type: 'STRING', mode: 'NULLABLE' },
  {
    name: 'device',
    type: 'RECORD',
    mode: 'NULLABLE',
    fields: [
      { name: 'category', type: 'STRING', mode: 'NULLABLE' },
      { name: 'version', type: 'INTEGER', mode: 'NULLABLE' },
    ],
  },
  {
    name: 'event_params',
    type: 'RECORD',
    mode: 'REPEATED',
    fields: [
      { name: 'key', type: 'STRING', mode: 'NULLABLE' },
      {
        name: 'value',
        type: 'RECORD',
        mode: 'NULLABLE',
        fields: [
          { name: 'string_value', type: 'STRING', mode: 'NULLABLE' },
          { name: 'int_value', type: 'INTEGER', mode: 'NULLABLE' },
          { name: 'double_value', type: 'FLOAT', mode: 'NULLABLE' },
        ],
      },
    ],
  },
  { name: 'tags', type: 'STRING', mode: 'REPEATED' },
  { name: 'no_tags', type: 'STRING', mode: 'REPEATED' },
];

const REST_ROW: RestRow = {
  f: [
    { v: '42' },
    { v: '9007199254740993' },
    { v: '-9223372036854775808' },
    { v: null },
    { v: '1.5' },
    { v: 'NaN' },
    { v: '-Infinity' },
    { v: '123.45' },
    { v: 'true' },
    { v: '1604225400123456' },
    { v: '1604225400.123456' },
    { v: '1.6040736E9' },
    { v: '-1.0E-6' },
    { v: '2020-11-01' },
    { v: '2020-11-01T10:00:00.999999' },
    { v: 'AAEC/w==' },
    { v: 'héllo' },
    { v: { f: [{ v: 'mobile' }, { v: '17' }] } },
    {
      v: [
        {
          v: {
            f: [
              { v: 'ga_session_id' },
              { v: { f: [{ v: null }, { v: '1604225400' }, { v: null }] } },
            ],
          },
        },
        { v: { f: [{ v: 'value' }, { v: { f: [{ v: null }, { v: null }, { v: '0.1' }] } }] } },
      ],
    },
    { v: [{ v: 'a' }, { v: 'b' }] },
    { v: [] },
  ],
};

const DUCKDB_SQL = `SELECT
  42::BIGINT AS i,
  9007199254740993::BIGINT AS big,
  (-9223372036854775808)::BIGINT AS neg_big,
  NULL::BIGINT AS missing,
  1.5::DOUBLE AS x,
  'NaN'::DOUBLE AS nan,
  '-Infinity'::DOUBLE AS inf,
  123.45::DECIMAL(38, 9) AS num,
  true AS b,
  TIMESTAMP '2020-11-01 10:10:00.123456' AS ts_micros,
  TIMESTAMP '2020-11-01 10:10:00.123456' AS ts_seconds,
  TIMESTAMP '2020-10-30 16:00:00' AS ts_whole,
  TIMESTAMP '1969-12-31 23:59:59.999999' AS ts_before_epoch,
  DATE '2020-11-01' AS d,
  TIMESTAMP '2020-11-01 10:00:00.999999' AS dt,
  '\\x00\\x01\\x02\\xFF'::BLOB AS bytes,
  'héllo' AS s,
  {'category': 'mobile', 'version': 17::BIGINT} AS device,
  [
    {'key': 'ga_session_id', 'value': {'string_value': NULL::VARCHAR, 'int_value': 1604225400::BIGINT, 'double_value': NULL::DOUBLE}},
    {'key': 'value', 'value': {'string_value': NULL::VARCHAR, 'int_value': NULL::BIGINT, 'double_value': 0.1::DOUBLE}}
  ] AS event_params,
  ['a', 'b'] AS tags,
  []::VARCHAR[] AS no_tags`;

let duckdb: DuckdbEngine;
beforeAll(async () => {
  duckdb = await DuckdbEngine.open(':memory:');
});
afterAll(async () => {
  await duckdb.close();
});

describe('BigQuery REST rows normalize exactly as DuckDB rows do', () => {
  it('gives the same row as the DuckDB engine for the same values', async () => {
    const { rows: fromDuckdb } = await duckdb.query(DUCKDB_SQL, {}, { name: 'same_values' });
    const fromBigquery = decodeRows(FIELDS, [REST_ROW]);
    expect(fromBigquery).toEqual(fromDuckdb);
    // And the values themselves, written out.
    expect(fromBigquery[0]).toEqual({
      i: 42,
      big: '9007199254740993',
      neg_big: '-9223372036854775808',
      missing: null,
      x: 1.5,
      nan: null,
      inf: null,
      num: 123.45,
      b: true,
      ts_micros: '2020-11-01T10:10:00.123Z',
      ts_seconds: '2020-11-01T10:10:00.123Z',
      ts_whole: '2020-10-30T16:00:00.000Z',
      ts_before_epoch: '1970-01-01T00:00:00.000Z',
      d: '2020-11-01',
      dt: '2020-11-01T10:00:00.999Z',
      bytes: 'AAEC/w==',
      s: 'héllo',
      device: { category: 'mobile', version: 17 },
      event_params: [
        {
          key: 'ga_session_id',
          value: { string_value: null, int_value: 1604225400, double_value: null },
        },
        { key: 'value', value: { string_value: null, int_value: null, double_value: 0.1 } },
      ],
      tags: ['a', 'b'],
      no_tags: [],
    });
  });

  it('reads both timestamp encodings exactly, cutting to milliseconds toward zero', () => {
    expect(timestampToIso('1604073600000000')).toBe('2020-10-30T16:00:00.000Z');
    expect(timestampToIso('1.6040736E9')).toBe('2020-10-30T16:00:00.000Z');
    expect(timestampToIso('1604073600.123456')).toBe('2020-10-30T16:00:00.123Z');
    expect(timestampToIso('1.604073600999999E9')).toBe('2020-10-30T16:00:00.999Z');
    expect(timestampToIso('0.0')).toBe('1970-01-01T00:00:00.000Z');
    expect(timestampToIso('-1.5')).toBe('1969-12-31T23:59:58.500Z');
    expect(timestampToIso('-1500')).toBe('1969-12-31T23:59:59.999Z'); // -1.5 ms: -1 ms
    expect(() => timestampToIso('soon')).toThrow('not a BigQuery timestamp: soon');
  });

  it('reads DATETIME like DuckDB prints a TIMESTAMP', () => {
    expect(datetimeToIso('2020-11-01T10:00:00')).toBe('2020-11-01T10:00:00.000Z');
    expect(datetimeToIso('0099-01-02T03:04:05.6')).toBe('0099-01-02T03:04:05.600Z');
  });

  it('a DATE inside a record or array stays YYYY-MM-DD, as normalize.ts specifies', () => {
    const fields: BigqueryField[] = [
      {
        name: 'r',
        type: 'RECORD',
        mode: 'NULLABLE',
        fields: [{ name: 'd', type: 'DATE', mode: 'NULLABLE' }],
      },
      { name: 'ds', type: 'DATE', mode: 'REPEATED' },
    ];
    const rows = decodeRows(fields, [
      { f: [{ v: { f: [{ v: '2020-11-01' }] } }, { v: [{ v: '2020-11-02' }] }] },
    ]);
    expect(rows).toEqual([{ r: { d: '2020-11-01' }, ds: ['2020-11-02'] }]);
  });
});
