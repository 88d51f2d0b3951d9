/**
 * BigQuery functions the GoogleSQL in `sql/` uses that DuckDB lacks, as DuckDB temp macros
 * defined on every connection. Each keeps BigQuery's semantics for the inputs our queries give it.
 */
const macros: Record<string, string> = {
  // SAFE_DIVIDE: NULL instead of an error when dividing by zero.
  safe_divide: '(a, b) AS CASE WHEN b = 0 THEN NULL ELSE a / b END',
  // BigQuery TIMESTAMPs are UTC; DuckDB's naive TIMESTAMP is read as UTC everywhere in Pathlight.
  timestamp_micros: '(x) AS make_timestamp(CAST(x AS BIGINT))',
  timestamp_seconds: '(x) AS make_timestamp(CAST(x AS BIGINT) * 1000000)',
  unix_micros: '(ts) AS epoch_us(ts)',
  unix_seconds: '(ts) AS CAST(epoch(ts) AS BIGINT)',
  unix_date: "(d) AS CAST(d - DATE '1970-01-01' AS BIGINT)",
  date_from_unix_date: "(n) AS CAST(DATE '1970-01-01' + CAST(n AS INTEGER) AS DATE)",
  logical_or: '(x) AS bool_or(x)',
  logical_and: '(x) AS bool_and(x)',
  regexp_contains: '(s, re) AS regexp_matches(s, re)',
  // FORMAT_DATE / PARSE_DATE take the format first in BigQuery.
  format_date: '(fmt, d) AS strftime(CAST(d AS DATE), fmt)',
  parse_date: '(fmt, s) AS CAST(strptime(s, fmt) AS DATE)',
  generate_array: '(a, b) AS generate_series(a, b)',
  div: '(a, b) AS CAST(trunc(a / b) AS BIGINT)',
  // Reading a typed value of an event (or item) parameter: the first entry with that key.
  param_string: '(params, k) AS list_filter(params, lambda p: p.key = k)[1].value.string_value',
  param_int: '(params, k) AS list_filter(params, lambda p: p.key = k)[1].value.int_value',
  param_double: '(params, k) AS list_filter(params, lambda p: p.key = k)[1].value.double_value',
  param_float: '(params, k) AS list_filter(params, lambda p: p.key = k)[1].value.float_value',
};

export const DUCKDB_MACROS = Object.entries(macros)
  .map(([name, body]) => `CREATE OR REPLACE TEMP MACRO ${name}${body};`)
  .join('\n');

export const DUCKDB_MACRO_NAMES = Object.keys(macros);
