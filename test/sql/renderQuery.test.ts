import { describe, expect, it } from 'vitest';
import { renderMarkers, toDuckdbDialect, inlineParams } from '../../src/sql/dialect.js';
import { resolveParams } from '../../src/sql/paramValues.js';
import { listQueries, loadQuery, parseQueryFile } from '../../src/sql/queryFiles.js';
import { renderQuery } from '../../src/sql/renderQuery.js';

const bigquery = { kind: 'bigquery', project: 'my-project', dataset: 'analytics_123' } as const;
const duckdb = { kind: 'duckdb' } as const;

describe('query files', () => {
  it('parses the description, typed parameters and context of a header', () => {
    const query = parseQueryFile(
      'x',
      '-- Counts things.\n-- Twice.\n-- @param start_date DATE 2020-11-01\n-- @param names ARRAY<STRING> a,b\n-- @context {"steps": 3}\nSELECT 1',
    );
    expect(query.description).toBe('Counts things. Twice.');
    expect(query.params).toEqual([
      { name: 'start_date', type: 'DATE', example: '2020-11-01' },
      { name: 'names', type: 'ARRAY<STRING>', example: 'a,b' },
    ]);
    expect(query.context).toEqual({ steps: 3 });
  });

  it('refuses an unknown parameter type', () => {
    expect(() => parseQueryFile('x', '-- @param a DATETIME x\nSELECT 1')).toThrow(/unknown type DATETIME/);
  });

  it('lists every file in sql/ with a description and examples for every parameter', () => {
    const queries = listQueries();
    expect(queries.map((q) => q.name)).toEqual(expect.arrayContaining(['daily_totals', 'event_counts']));
    for (const query of queries) {
      expect(query.description, query.name).not.toBe('');
      expect(() => resolveParams(query, {}, { useExamples: true }), query.name).not.toThrow();
    }
  });

  it('names the query and the known names when one is missing', () => {
    expect(() => loadQuery('nope')).toThrow(/no query named "nope" \(known: .*daily_totals/);
  });
});

describe('parameters', () => {
  const query = parseQueryFile(
    'q',
    '-- q\n-- @param d DATE 2020-01-01\n-- @param n INT64 3\n-- @param l ARRAY<STRING> a\n-- @param b BOOL false\nSELECT 1',
  );

  it('converts CLI text to the declared types', () => {
    expect(resolveParams(query, { d: '2020-02-29', n: '12', l: 'x,y', b: 'true' })).toEqual({
      d: '2020-02-29',
      n: 12,
      l: ['x', 'y'],
      b: true,
    });
  });

  it('names the parameter at fault', () => {
    expect(() => resolveParams(query, { d: '2020-13-45', n: 1, l: [], b: true })).toThrow(
      /param d: expected a date like 2020-11-01/,
    );
    expect(() => resolveParams(query, { d: '2020-01-01', n: 1.5, l: [], b: true })).toThrow(/param n: expected an integer/);
    expect(() => resolveParams(query, { d: '2020-01-01', n: 1, l: [], b: true, zz: 1 })).toThrow(/param zz: query q has no such parameter/);
    expect(() => resolveParams(query, { n: 1, l: [], b: true })).toThrow(/param d: required by query q/);
  });
});

describe('rendering', () => {
  it('bounds the wildcard table by _TABLE_SUFFIX on BigQuery, with markers, never values', () => {
    const { sql } = renderQuery('event_counts', bigquery);
    expect(sql).toContain('FROM `my-project.analytics_123.events_*`');
    expect(sql).toContain("_TABLE_SUFFIX BETWEEN FORMAT_DATE('%Y%m%d', @start_date) AND FORMAT_DATE('%Y%m%d', @end_date)");
    expect(sql).toContain("@include_intraday AND _TABLE_SUFFIX BETWEEN CONCAT('intraday_'");
    expect(sql).not.toContain('2020-11-01');
  });

  it('reads parameters with UNNEST on BigQuery and with macros on DuckDB', () => {
    expect(renderQuery('daily_totals', bigquery).sql).toContain(
      "(SELECT value.int_value FROM UNNEST(event_params) WHERE key = 'ga_session_id')",
    );
    const duck = renderQuery('daily_totals', duckdb).sql;
    expect(duck).toContain("param_int(event_params, 'ga_session_id')");
    expect(duck).toContain('$goal_event');
    expect(duck).toContain("FORMAT_DATE('%Y%m%d', CAST($start_date AS DATE))");
    expect(duck).toContain('FROM events_wildcard');
    expect(duck).not.toContain('@');
  });

  it('refuses a project or dataset name outside the strict patterns', () => {
    expect(() => renderQuery('event_counts', { kind: 'bigquery', project: 'x`; DROP', dataset: 'a' })).toThrow(
      /invalid project or dataset/,
    );
  });
});

describe('DuckDB dialect', () => {
  it('rewrites GoogleSQL spellings outside strings and comments only', () => {
    const sql = toDuckdbDialect(
      "SELECT SAFE_CAST(x AS INT64), CAST(y AS STRING), p.key FROM t, UNNEST(t.event_params) AS p WHERE z IN UNNEST($l) AND s = 'AS INT64' -- AS FLOAT64",
    );
    expect(sql).toBe(
      "SELECT TRY_CAST(x AS BIGINT), CAST(y AS VARCHAR), p.key FROM t, UNNEST(t.event_params) AS _p(p) WHERE z IN (SELECT UNNEST($l)) AND s = 'AS INT64' -- AS FLOAT64",
    );
  });

  it('turns markers into DuckDB parameters with date casts, leaving strings alone', () => {
    expect(renderMarkers("SELECT @a, @d, '@a' FROM x", duckdb, { a: 'STRING', d: 'DATE' })).toBe(
      "SELECT $a, CAST($d AS DATE), '@a' FROM x",
    );
  });

  it('inlines literals for display with each dialect’s escaping', () => {
    const types = { s: 'STRING', d: 'DATE', l: 'ARRAY<STRING>', n: 'INT64' } as const;
    const values = { s: "it's", d: '2020-01-02', l: ['a', 'b'], n: null };
    expect(inlineParams('@s @d @l @n', values, types, bigquery)).toBe(
      "'it\\'s' DATE '2020-01-02' ['a', 'b'] CAST(NULL AS INT64)",
    );
    expect(inlineParams('@s', values, types, duckdb)).toBe("'it''s'");
  });
});
