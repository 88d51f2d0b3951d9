/**
 * Timings of the ZetaSQL harness (not a test: performance is never asserted).
 * Run: `npx tsx test/zetasql/measureHarness.ts`
 */
import { analyzeSql } from './analyzeSql.js';
import { evaluateSql } from './evaluateSql.js';
import { eventsTablePath } from './ga4Catalog.js';
import type { Ga4EventRow } from './zetasqlValues.js';
import { startZetaSqlServer, stopZetaSqlServer } from './zetasqlServer.js';

const EVENTS = `\`${eventsTablePath()}\``;
const NAMES = ['page_view', 'view_item', 'add_to_cart', 'begin_checkout', 'purchase'];

/** 50 rows: 10 users, 5 events each over 3 days, with params, device and items. */
function rows(): Ga4EventRow[] {
  const out: Ga4EventRow[] = [];
  for (let i = 0; i < 50; i++) {
    const day = 1 + (i % 3);
    const suffix = `2020110${day}`;
    out.push({
      _TABLE_SUFFIX: suffix,
      event_date: suffix,
      event_timestamp: Date.UTC(2020, 10, day, 8, i) * 1000,
      event_name: NAMES[i % NAMES.length],
      user_pseudo_id: `u${i % 10}`,
      event_params: [
        { key: 'ga_session_id', value: { int_value: 1000 + (i % 10) } },
        { key: 'page_location', value: { string_value: `https://shop.example/p${i % 7}` } },
      ],
      device: { category: i % 2 ? 'mobile' : 'desktop' },
      items: [{ item_id: `sku${i % 4}`, quantity: 1 + (i % 3), price: 9.5 }],
    });
  }
  return out;
}

const QUERIES = [
  `SELECT event_name, COUNT(*) AS n, COUNT(DISTINCT user_pseudo_id) AS users FROM ${EVENTS}
   WHERE _TABLE_SUFFIX BETWEEN @start AND @end GROUP BY event_name`,
  `SELECT user_pseudo_id, ARRAY_AGG(event_name ORDER BY event_timestamp) AS journey FROM ${EVENTS}
   WHERE _TABLE_SUFFIX BETWEEN @start AND @end GROUP BY user_pseudo_id`,
  `SELECT (SELECT value.string_value FROM UNNEST(event_params) WHERE key = 'page_location') AS page,
     COUNT(*) AS views FROM ${EVENTS} WHERE _TABLE_SUFFIX BETWEEN @start AND @end GROUP BY page`,
  `SELECT user_pseudo_id, event_name, LEAD(event_name) OVER (PARTITION BY user_pseudo_id
     ORDER BY event_timestamp) AS next_event FROM ${EVENTS} WHERE _TABLE_SUFFIX BETWEEN @start AND @end`,
  `SELECT i.item_id, SUM(i.quantity * i.price) AS revenue FROM ${EVENTS}, UNNEST(items) AS i
   WHERE _TABLE_SUFFIX BETWEEN @start AND @end GROUP BY i.item_id`,
  `SELECT device.category, COUNTIF(event_name = 'purchase') AS purchases,
     SAFE_DIVIDE(COUNTIF(event_name = 'purchase'), COUNT(*)) AS rate FROM ${EVENTS}
   WHERE _TABLE_SUFFIX BETWEEN @start AND @end GROUP BY 1`,
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const startAt = performance.now();
  const server = await startZetaSqlServer();
  console.log(
    `server start: ${server.startMs.toFixed(0)} ms (first call ${(performance.now() - startAt).toFixed(0)} ms)`,
  );

  const types = { start: 'STRING', end: 'STRING' } as const;
  let t = performance.now();
  await analyzeSql(QUERIES[0] ?? '', types);
  console.log(
    `first analyze (language options + catalog registration): ${(performance.now() - t).toFixed(0)} ms`,
  );
  const analyzeTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const sql of QUERIES) {
      t = performance.now();
      const result = await analyzeSql(sql, types);
      analyzeTimes.push(performance.now() - t);
      if (!result.ok) throw new Error(result.detail);
    }
  }
  console.log(
    `analyze: median ${median(analyzeTimes).toFixed(1)} ms over ${analyzeTimes.length} queries`,
  );

  const data = { events: rows() };
  const params = { start: '20201101', end: '20201103' };
  t = performance.now();
  await evaluateSql(QUERIES[0] ?? '', params, types, data);
  console.log(
    `first evaluate on 50 rows (registers the data set): ${(performance.now() - t).toFixed(0)} ms`,
  );
  const evaluateTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const sql of QUERIES) {
      t = performance.now();
      await evaluateSql(sql, params, types, data);
      evaluateTimes.push(performance.now() - t);
    }
  }
  console.log(
    `evaluate, 50 rows: median ${median(evaluateTimes).toFixed(1)} ms over ${evaluateTimes.length} queries`,
  );

  const fresh: number[] = [];
  for (let i = 0; i < 5; i++) {
    const other = {
      events: rows().map((row) => ({
        ...row,
        user_pseudo_id: `v${i}-${String(row.user_pseudo_id)}`,
      })),
    };
    t = performance.now();
    await evaluateSql(QUERIES[1] ?? '', params, types, other);
    fresh.push(performance.now() - t);
  }
  console.log(
    `evaluate with a new 50-row data set (register + evaluate): median ${median(fresh).toFixed(1)} ms`,
  );

  t = performance.now();
  await stopZetaSqlServer();
  console.log(`server stop: ${(performance.now() - t).toFixed(0)} ms`);
}

await main();
