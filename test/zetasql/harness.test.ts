import { describe, expect, it } from 'vitest';
import type { ParamType } from '../../src/engines/engine.js';
import { EVENTS_SCHEMA } from '../../src/schema/ga4Schema.js';
import { analyzeSql } from './analyzeSql.js';
import { evaluateSql, evaluateSqlResult } from './evaluateSql.js';
import { eventsTablePath } from './ga4Catalog.js';
import { useZetaSql } from './useZetaSql.js';
import { startZetaSqlServer, stopZetaSqlServer } from './zetasqlServer.js';
import type { Ga4EventRow } from './zetasqlValues.js';

useZetaSql();

const EVENTS = `\`${eventsTablePath()}\``;

/** Session, page and device of one hand-written GA4 event. */
function event(
  user: string,
  suffix: string | null,
  time: string,
  name: string,
  device: string,
  session: number,
): Ga4EventRow {
  const micros =
    BigInt(Date.parse(time.slice(0, 19) + 'Z')) * 1000n + BigInt(time.slice(20, 26) || '0');
  return {
    ...(suffix ? { _TABLE_SUFFIX: suffix } : {}),
    event_date: time.slice(0, 10).replaceAll('-', ''),
    event_timestamp: micros,
    event_name: name,
    user_pseudo_id: user,
    event_params: [
      { key: 'ga_session_id', value: { int_value: session } },
      { key: 'page_location', value: { string_value: `https://shop.example/${name}` } },
    ],
    device: { category: device, web_info: { browser: 'Chrome' } },
  };
}

const ROWS: Ga4EventRow[] = [
  event('u1', '20201101', '2020-11-01T10:00:00', 'page_view', 'desktop', 111),
  event('u1', '20201101', '2020-11-01T10:01:00.123456', 'add_to_cart', 'desktop', 111),
  event('u2', '20201102', '2020-11-02T10:00:00', 'page_view', 'mobile', 222),
  event('u3', '20201102', '2020-11-02T11:00:00', 'page_view', 'mobile', 333),
  event('u3', '20201102', '2020-11-02T11:05:00', 'page_view', 'mobile', 333),
  // No _TABLE_SUFFIX: event_date stands for it, and this day is outside the range below.
  event('u2', null, '2020-11-03T09:00:00', 'purchase', 'mobile', 222),
];

const JOURNEY_TYPES: Record<string, ParamType> = {
  start_date: 'DATE',
  end_date: 'DATE',
  event_names: 'ARRAY<STRING>',
};
const JOURNEY_PARAMS = {
  start_date: '2020-11-01',
  end_date: '2020-11-02',
  event_names: ['page_view', 'add_to_cart', 'purchase'],
};

/** Per device, the user with the most events in range, with that user's journey. */
const JOURNEY_SQL = `WITH events AS (
  SELECT
    user_pseudo_id,
    event_name,
    TIMESTAMP_MICROS(event_timestamp) AS event_time,
    device.category AS device_category,
    (SELECT value.int_value FROM UNNEST(event_params) WHERE key = 'ga_session_id') AS session_id
  FROM ${EVENTS}
  WHERE _TABLE_SUFFIX BETWEEN FORMAT_DATE('%Y%m%d', @start_date) AND FORMAT_DATE('%Y%m%d', @end_date)
    AND event_name IN UNNEST(@event_names)
)
SELECT
  user_pseudo_id,
  MAX(device_category) AS device_category,
  COUNT(*) AS events,
  COUNTIF(event_name = 'page_view') AS page_views,
  SAFE_DIVIDE(COUNTIF(event_name = 'page_view'), COUNT(*)) AS page_view_share,
  LOGICAL_OR(event_name = 'add_to_cart') AS added_to_cart,
  ARRAY_AGG(event_name ORDER BY event_time) AS journey,
  ARRAY_AGG(DISTINCT session_id) AS sessions,
  MIN(event_time) AS first_seen,
  MAX(event_time) AS last_seen,
  DATE(MIN(event_time)) AS first_day
FROM events
GROUP BY user_pseudo_id
QUALIFY ROW_NUMBER() OVER (PARTITION BY device_category ORDER BY events DESC, user_pseudo_id) = 1`;

describe('analyzeSql', () => {
  it('analyzes a GA4 query with BigQuery features, a DATE and an ARRAY<STRING> parameter', async () => {
    const result = await analyzeSql(JOURNEY_SQL, JOURNEY_TYPES);
    expect(result).toEqual({
      ok: true,
      outputColumns: [
        { name: 'user_pseudo_id', type: 'STRING' },
        { name: 'device_category', type: 'STRING' },
        { name: 'events', type: 'INT64' },
        { name: 'page_views', type: 'INT64' },
        { name: 'page_view_share', type: 'FLOAT64' },
        { name: 'added_to_cart', type: 'BOOL' },
        { name: 'journey', type: 'ARRAY<STRING>' },
        { name: 'sessions', type: 'ARRAY<INT64>' },
        { name: 'first_seen', type: 'TIMESTAMP' },
        { name: 'last_seen', type: 'TIMESTAMP' },
        { name: 'first_day', type: 'DATE' },
      ],
    });
  });

  it('reports an unknown column with its line and column', async () => {
    const result = await analyzeSql(`SELECT\n  event_name,\n  event_nme\nFROM ${EVENTS}`);
    expect(result).toMatchObject({ ok: false, line: 3, column: 3 });
    if (result.ok) return;
    expect(result.error).toContain('Unrecognized name: event_nme');
    expect(result.detail).toContain('^');
  });

  it('checks parameter types: a DATE parameter is not a table suffix', async () => {
    const sql = `SELECT COUNT(*) AS n FROM ${EVENTS} WHERE _TABLE_SUFFIX BETWEEN @start_date AND @end_date`;
    const result = await analyzeSql(sql, { start_date: 'DATE', end_date: 'DATE' });
    expect(result).toMatchObject({ ok: false, line: 1 });
    expect(await analyzeSql(sql, { start_date: 'STRING', end_date: 'STRING' })).toMatchObject({
      ok: true,
    });
  });

  it('rejects an undeclared parameter', async () => {
    const result = await analyzeSql(`SELECT @nope AS x`);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.error).toMatch(/nope/i);
  });

  it('models _TABLE_SUFFIX as a pseudo-column: SELECT * has exactly the schema columns', async () => {
    const result = await analyzeSql(`SELECT * FROM ${EVENTS}`);
    if (!result.ok) throw new Error(result.detail);
    expect(result.outputColumns.map((column) => column.name)).toEqual(
      EVENTS_SCHEMA.map((field) => field.name),
    );
    const except = await analyzeSql(
      `SELECT * EXCEPT (event_params, user_properties, items), _TABLE_SUFFIX AS suffix FROM ${EVENTS}`,
    );
    if (!except.ok) throw new Error(except.detail);
    expect(except.outputColumns.at(-1)).toEqual({ name: 'suffix', type: 'STRING' });
    expect(except.outputColumns.map((column) => column.name)).not.toContain('event_params');
  });

  it('types nested fields from EVENTS_SCHEMA', async () => {
    const result = await analyzeSql(
      `SELECT device.web_info.hostname, items[SAFE_OFFSET(0)].item_params, ecommerce.purchase_revenue FROM ${EVENTS}`,
    );
    expect(result).toEqual({
      ok: true,
      outputColumns: [
        { name: 'hostname', type: 'STRING' },
        {
          name: 'item_params',
          type: 'ARRAY<STRUCT<key STRING, value STRUCT<string_value STRING, int_value INT64, float_value FLOAT64, double_value FLOAT64>>>',
        },
        { name: 'purchase_revenue', type: 'FLOAT64' },
      ],
    });
  });

  it('resolves the separately quoted spelling and daily tables when asked for', async () => {
    expect(
      await analyzeSql('SELECT COUNT(*) AS n FROM `test-project`.analytics_123456.`events_*`'),
    ).toMatchObject({ ok: true });
    const daily = 'SELECT COUNT(*) AS n FROM `test-project.analytics_123456.events_20201101`';
    expect(await analyzeSql(daily)).toMatchObject({ ok: false });
    expect(await analyzeSql(daily, {}, { dailySuffixes: ['20201101'] })).toMatchObject({
      ok: true,
    });
  });

  it('uses BigQuery dialect: QUALIFY is reserved, WITH RECURSIVE and named arguments work', async () => {
    expect(await analyzeSql('SELECT 1 AS qualify')).toMatchObject({ ok: false });
    expect(
      await analyzeSql(
        'WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n',
      ),
    ).toMatchObject({ ok: true });
    expect(
      await analyzeSql(`SELECT COUNT(*) AS n FROM ${EVENTS} TABLESAMPLE SYSTEM (10 PERCENT)`),
    ).toMatchObject({ ok: true });
    // INT32 exists only in ZetaSQL's internal mode, not in BigQuery.
    expect(await analyzeSql('SELECT CAST(1 AS INT32) AS x')).toMatchObject({ ok: false });
  });
});

describe('evaluateSql', () => {
  it('evaluates the journey query on hand-written GA4 rows', async () => {
    const rows = await evaluateSql(JOURNEY_SQL, JOURNEY_PARAMS, JOURNEY_TYPES, { events: ROWS });
    const byUser = [...rows].sort((a, b) =>
      String(a.user_pseudo_id).localeCompare(String(b.user_pseudo_id)),
    );
    expect(byUser).toEqual([
      {
        user_pseudo_id: 'u1',
        device_category: 'desktop',
        events: 2,
        page_views: 1,
        page_view_share: 0.5,
        added_to_cart: true,
        journey: ['page_view', 'add_to_cart'],
        sessions: [111],
        first_seen: '2020-11-01T10:00:00.000Z',
        // 10:01:00.123456 kept to the millisecond, as the engines normalize it.
        last_seen: '2020-11-01T10:01:00.123Z',
        first_day: '2020-11-01',
      },
      {
        user_pseudo_id: 'u3',
        device_category: 'mobile',
        events: 2,
        page_views: 2,
        page_view_share: 1,
        added_to_cart: false,
        journey: ['page_view', 'page_view'],
        sessions: [333],
        first_seen: '2020-11-02T11:00:00.000Z',
        last_seen: '2020-11-02T11:05:00.000Z',
        first_day: '2020-11-02',
      },
    ]);
  });

  it('fills _TABLE_SUFFIX per row, from event_date when a row has none', async () => {
    const rows = await evaluateSql(
      `SELECT _TABLE_SUFFIX AS suffix, COUNT(*) AS n FROM ${EVENTS} GROUP BY suffix ORDER BY suffix`,
      {},
      {},
      { events: ROWS },
    );
    expect(rows).toEqual([
      { suffix: '20201101', n: 2 },
      { suffix: '20201102', n: 3 },
      { suffix: '20201103', n: 1 },
    ]);
  });

  it('serves daily tables made of the rows with that suffix', async () => {
    const rows = await evaluateSql(
      'SELECT COUNT(*) AS n FROM `test-project.analytics_123456.events_20201102`',
      {},
      {},
      { events: ROWS },
    );
    expect(rows).toEqual([{ n: 3 }]);
  });

  it('returns STRUCTs as objects with NULL fields, ARRAYs of STRUCTs as arrays', async () => {
    const rows = await evaluateSql(
      `SELECT device, event_params FROM ${EVENTS} WHERE _TABLE_SUFFIX = @day ORDER BY event_timestamp LIMIT 1`,
      { day: '20201101' },
      { day: 'STRING' },
      { events: ROWS },
    );
    const device = EVENTS_SCHEMA.find((field) => field.name === 'device');
    if (device?.type !== 'STRUCT') throw new Error('device is a RECORD in EVENTS_SCHEMA');
    const expectedDevice: Record<string, unknown> = Object.fromEntries(
      device.fields.map((field) => [field.name, null]),
    );
    expectedDevice.category = 'desktop';
    expectedDevice.web_info = { browser: 'Chrome', browser_version: null, hostname: null };
    expect(rows).toEqual([
      {
        device: expectedDevice,
        event_params: [
          {
            key: 'ga_session_id',
            value: { string_value: null, int_value: 111, float_value: null, double_value: null },
          },
          {
            key: 'page_location',
            value: {
              string_value: 'https://shop.example/page_view',
              int_value: null,
              float_value: null,
              double_value: null,
            },
          },
        ],
      },
    ]);
  });

  it('normalizes values like the engines do', async () => {
    const result = await evaluateSqlResult(
      `SELECT
        CAST('9007199254740993' AS INT64) AS big,
        9007199254740991 AS safe,
        IEEE_DIVIDE(1, 0) AS inf,
        IEEE_DIVIDE(0, 0) AS nan,
        CAST('1.25' AS NUMERIC) AS num,
        CAST('-0.5' AS BIGNUMERIC) AS bignum,
        DATE(TIMESTAMP '2020-11-02 03:00:00+00') AS utc_day,
        TIMESTAMP '2020-11-01 10:00:00.987654+00' AS ts,
        DATETIME '2020-11-01 10:11:12.5' AS dt,
        TIME '12:34:56' AS t,
        b'ab' AS bytes,
        CAST(NULL AS ARRAY<STRING>) AS null_array,
        STRUCT(1 AS a, 'x' AS b) AS st,
        STRUCT(1, 2) AS anon,
        CAST(NULL AS STRING) AS nothing,
        2`,
      {},
      {},
      { events: [] },
    );
    expect(result.rows).toEqual([
      {
        big: '9007199254740993',
        safe: 9007199254740991,
        inf: null,
        nan: null,
        num: 1.25,
        bignum: -0.5,
        utc_day: '2020-11-02',
        ts: '2020-11-01T10:00:00.987Z',
        dt: '2020-11-01T10:11:12.500Z',
        t: '12:34:56',
        bytes: 'YWI=',
        // BigQuery returns a NULL array as an empty one.
        null_array: [],
        st: { a: 1, b: 'x' },
        anon: { _field_1: 1, _field_2: 2 },
        nothing: null,
        f0_: 2,
      },
    ]);
    expect(result.columns.map((column) => column.type)).toContain('STRUCT<a INT64, b STRING>');
  });

  it('binds every parameter type, NULLs included', async () => {
    const types: Record<string, ParamType> = {
      s: 'STRING',
      i: 'INT64',
      f: 'FLOAT64',
      b: 'BOOL',
      d: 'DATE',
      ts: 'TIMESTAMP',
      as: 'ARRAY<STRING>',
      ai: 'ARRAY<INT64>',
      af: 'ARRAY<FLOAT64>',
      n: 'STRING',
    };
    const rows = await evaluateSql(
      'SELECT @s AS s, @i AS i, @f AS f, @b AS b, @d AS d, @ts AS ts, @as AS a_s, @ai AS ai, @af AS af, @n IS NULL AS n',
      {
        s: "it's",
        i: 42,
        f: 0.5,
        b: true,
        d: '2020-11-01',
        ts: '2020-11-01T10:00:00.250Z',
        as: ['a', 'b'],
        ai: [1, 2],
        af: [1.5],
        n: null,
      },
      types,
      { events: [] },
    );
    expect(rows).toEqual([
      {
        s: "it's",
        i: 42,
        f: 0.5,
        b: true,
        d: '2020-11-01',
        ts: '2020-11-01T10:00:00.250Z',
        a_s: ['a', 'b'],
        ai: [1, 2],
        af: [1.5],
        n: true,
      },
    ]);
  });

  it('accepts INT64 fields as number, bigint or decimal string, and refuses unknown fields', async () => {
    const base = { _TABLE_SUFFIX: '20201101', event_name: 'x' };
    const rows = await evaluateSql(
      `SELECT event_bundle_sequence_id AS id FROM ${EVENTS} ORDER BY id`,
      {},
      {},
      {
        events: [
          { ...base, event_bundle_sequence_id: 1 },
          { ...base, event_bundle_sequence_id: 2n },
          { ...base, event_bundle_sequence_id: '9007199254740993' },
        ],
      },
    );
    expect(rows).toEqual([{ id: 1 }, { id: 2 }, { id: '9007199254740993' }]);
    await expect(
      evaluateSql('SELECT 1 AS x', {}, {}, { events: [{ ...base, device: { categry: 'x' } }] }),
    ).rejects.toThrow('events[0].device.categry: not a field of device');
    await expect(
      evaluateSql('SELECT 1 AS x', {}, {}, { events: [{ ...base, event_timestamp: 1.5 }] }),
    ).rejects.toThrow('events[0].event_timestamp: expected INT64');
  });

  it('reports SQL errors as thrown errors with the position', async () => {
    await expect(
      evaluateSql(`SELECT nope FROM ${EVENTS}`, {}, {}, { events: ROWS }),
    ).rejects.toThrow(/Unrecognized name: nope \[at 1:8\]/);
  });

  it('reports runtime errors and what the reference evaluator lacks', async () => {
    await expect(evaluateSql('SELECT 1 / 0 AS x', {}, {}, { events: [] })).rejects.toThrow(
      /runtime error.*division by zero/i,
    );
    await expect(
      evaluateSql(
        `SELECT APPROX_COUNT_DISTINCT(user_pseudo_id) AS n FROM ${EVENTS}`,
        {},
        {},
        { events: ROWS },
      ),
    ).rejects.toThrow(/not implemented.*approx_count_distinct/i);
  });

  it('keeps TIMESTAMP parameters to the microsecond, in ISO and BigQuery spellings', async () => {
    const sql = 'SELECT UNIX_MICROS(@a) AS a, UNIX_MICROS(@b) AS b, UNIX_MICROS(@c) AS c';
    const rows = await evaluateSql(
      sql,
      { a: '2020-11-01T10:00:00.123456Z', b: '2020-11-01 12:00:00.5+02:00', c: '2020-11-01' },
      { a: 'TIMESTAMP', b: 'TIMESTAMP', c: 'TIMESTAMP' },
      { events: [] },
    );
    expect(rows).toEqual([{ a: 1604224800123456, b: 1604224800500000, c: 1604188800000000 }]);
  });

  it('evaluates concurrently on different data sets', async () => {
    const sql = `SELECT COUNT(*) AS n FROM ${EVENTS}`;
    const counts = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => evaluateSql(sql, {}, {}, { events: ROWS.slice(0, n) })),
    );
    expect(counts).toEqual([1, 2, 3, 4, 5, 6].map((n) => [{ n }]));
  });
});

describe('zetasqlServer', () => {
  it('restarts on demand after a stop, with fresh registrations', async () => {
    const before = await startZetaSqlServer();
    await stopZetaSqlServer();
    expect(() => process.kill(before.pid, 0)).toThrow();
    expect(await analyzeSql(`SELECT COUNT(*) AS n FROM ${EVENTS}`)).toMatchObject({ ok: true });
    const after = await startZetaSqlServer();
    expect(after.generation).toBeGreaterThan(before.generation);
    expect(
      await evaluateSql(`SELECT COUNT(*) AS n FROM ${EVENTS}`, {}, {}, { events: ROWS }),
    ).toEqual([{ n: 6 }]);
  });
});
