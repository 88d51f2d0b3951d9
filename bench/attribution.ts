/**
 * Attribution benchmark: `pathlight attribution` (conversion paths in SQL, seven models
 * in TypeScript) on DuckDB over synthetic GA4-shaped events, beside `sessions_by_channel` (one pass
 * of the same session touchpoints, no paths) as the baseline. Run:
 * `npx tsx bench/attribution.ts [sizes]` (default 1000000,10000000).
 *
 * Events are generated in DuckDB SQL (deterministic hashes of the row number), as bench/paths.ts
 * does, since src/sample/generateSample.ts is too slow for 10M here. 20 events per user over 30
 * days, 5 sessions per user; every event of a session carries its arrival: direct, google /
 * organic, google / cpc, a gclid alone, newsletter / email, facebook / paid_social, t.co / referral
 * or partner / affiliate (one in 8 each, with a campaign name on the paid ones). Names:
 * session_start 5%, page_view 60%, view_item 20%, add_to_cart 12%, purchase 3%; purchases carry a
 * value and a transaction_id; 2% draw it from a pool of half their number, so orders repeat.
 */
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { attributionQuery } from '../src/analyses/attribution/attributionQuery.js';
import { parseAttributionSpec } from '../src/analyses/attribution/attributionSpec.js';
import { pathTableFromRows } from '../src/analyses/attribution/pathTableFromRows.js';
import { attributionFromPaths } from '../src/analyses/attribution/runAttribution.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { runQuery } from '../src/sql/runQuery.js';
import { buildEventsTable, timeOnce as time } from './syntheticEvents.js';

const T0 = 1604188800000000;
const DAY_S = 86_400;

const param = (key: string, kind: 'string' | 'int' | 'double', value: string) =>
  `{'key': '${key}', 'value': {'string_value': ${kind === 'string' ? value : 'NULL'}, 'int_value': ${kind === 'int' ? value : 'NULL'}, 'float_value': NULL, 'double_value': ${kind === 'double' ? value : 'NULL'}}}`;

async function build(file: string, events: number): Promise<void> {
  await buildEventsTable(file, events, async (run, users) => {
    // 2% of purchases draw their id from a pool half their number: repeated orders to de-duplicate.
    const pool = Math.max(1, Math.round(events * 0.03 * 0.01));
    const arrival = (a: number, source: string, medium: string, campaign?: string) =>
      `WHEN arrival = ${a} THEN [${param('source', 'string', `'${source}'`)}, ${param('medium', 'string', `'${medium}'`)}${campaign ? `, ${param('campaign', 'string', `'${campaign}'`)}` : ''}]`;
    await run(`
      INSERT INTO events_20201101 (event_date, event_timestamp, event_name, user_pseudo_id, event_params)
      SELECT
        '20201101',
        ${T0} + (hash(i, 'ts') % ${30 * DAY_S})::BIGINT * 1000000,
        name,
        'u' || u::VARCHAR,
        [${param('ga_session_id', 'int', 's')}]
        || CASE
          ${arrival(1, 'google', 'organic')}
          ${arrival(2, 'google', 'cpc', 'brand')}
          WHEN arrival = 3 THEN [${param('gclid', 'string', "'g' || u::VARCHAR")}]
          ${arrival(4, 'newsletter', 'email', 'weekly')}
          ${arrival(5, 'facebook', 'paid_social', 'retarget')}
          ${arrival(6, 't.co', 'referral')}
          ${arrival(7, 'partner', 'affiliate')}
          ELSE [] END
        || CASE WHEN name = 'purchase' THEN [
          ${param('transaction_id', 'string', `CASE WHEN hash(i, 'dup') % 50 = 0 THEN 'D' || (hash(i, 'tx') % ${pool})::VARCHAR ELSE 'T' || i::VARCHAR END`)},
          ${param('value', 'double', "((hash(i, 'value') % 20000) / 100.0)::DOUBLE")}
        ] ELSE [] END
      FROM (
        SELECT i, u, s, (hash(u, s, 'arrival') % 8)::INTEGER AS arrival, CASE
          WHEN h < 5 THEN 'session_start' WHEN h < 65 THEN 'page_view' WHEN h < 85 THEN 'view_item'
          WHEN h < 97 THEN 'add_to_cart' ELSE 'purchase' END AS name
        FROM (
          SELECT i, (hash(i, 'name') % 100)::INTEGER AS h, (hash(i, 'user') % ${users})::BIGINT AS u,
            (hash(i, 'session') % 5)::BIGINT AS s
          FROM range(${events}) AS t(i)
        )
      )`);
  });
}

const sizes = (process.argv[2] ?? '1000000,10000000').split(',').map(Number);
const dir = join(tmpdir(), 'pathlight-bench-attribution');
mkdirSync(dir, { recursive: true });
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);
for (const n of sizes) {
  const file = join(dir, `events-${n}.duckdb`);
  const t = performance.now();
  await build(file, n);
  console.log(`${n} events: built in ${((performance.now() - t) / 1000).toFixed(1)} s (${file})`);
  console.log(
    `  load average before the runs: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  // A shared 2-core machine is slow: no query timeout here (the service's default is 120 s).
  const engine = await DuckdbEngine.open(file, { defaultTimeoutMs: 3_600_000 });
  try {
    const base = await time(() =>
      runQuery(engine, 'sessions_by_channel', {
        start_date: '2020-11-01',
        end_date: '2020-11-01',
        include_intraday: false,
      }),
    );
    console.log(
      `  sessions_by_channel (baseline): ${base.s.toFixed(2)} s, ${base.value.rows.length} rows`,
    );
    for (const touchpoint of ['channel', 'source_medium'] as const) {
      const spec = parseAttributionSpec({
        dateRange: { start: '2020-11-01', end: '2020-11-01' },
        goal: { event: 'purchase', value: 'param:value' },
        touchpoint,
      });
      const q = attributionQuery(spec);
      const sql = await time(() =>
        runQuery(engine, 'attribution_paths', q.params, { context: q.context }),
      );
      const m0 = performance.now();
      const table = pathTableFromRows(sql.value.rows);
      const result = attributionFromPaths(spec, table, sql.value.sql);
      const models = (performance.now() - m0) / 1000;
      console.log(
        `  attribution ${touchpoint}: SQL ${sql.s.toFixed(2)} s (${(sql.s / base.s).toFixed(1)}x baseline), models ${models.toFixed(3)} s; ${sql.value.rows.length} path-table rows, ${result.conversions} conversions, ${result.nonConvertingPaths} non-converting paths, ${result.channels.length} touchpoints`,
      );
    }
    console.log(
      `  load average after the runs: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await engine.close();
  }
}
