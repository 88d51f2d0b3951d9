/**
 * Attribution with one person across devices, offline events and ad costs: the same synthetic
 * events as bench/attribution.ts, plus a user_id on 20% of devices (pairs of devices per member),
 * offline store visits and till purchases for a share of members (user_id only), and a cost row per
 * paid campaign. Times, side by side in one run: `sessions_by_channel` (the one-pass floor),
 * attribution with `identity: device`, and attribution with `identity: blended` including the
 * offline rows and the touchpoint costs. Run: `npx tsx bench/attributionIdentity.ts [sizes]`.
 */
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseAttributionSpec } from '../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../src/analyses/attribution/runAttribution.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { AD_COSTS_DDL } from '../src/schema/adCostsTable.js';
import { offlineEventsTableDdl } from '../src/schema/offlineEventsTable.js';
import { runQuery } from '../src/sql/runQuery.js';
import { buildEventsTable, timeOnce as time } from './syntheticEvents.js';

const T0 = 1604188800000000;
const DAY_S = 86_400;
const param = (key: string, kind: 'string' | 'int' | 'double', value: string) =>
  `{'key': '${key}', 'value': {'string_value': ${kind === 'string' ? value : 'NULL'}, 'int_value': ${kind === 'int' ? value : 'NULL'}, 'float_value': NULL, 'double_value': ${kind === 'double' ? value : 'NULL'}}}`;

async function build(file: string, events: number): Promise<void> {
  await buildEventsTable(file, events, async (run, users) => {
    const arrival = (a: number, source: string, medium: string, campaign?: string) =>
      `WHEN arrival = ${a} THEN [${param('source', 'string', `'${source}'`)}, ${param('medium', 'string', `'${medium}'`)}${campaign ? `, ${param('campaign', 'string', `'${campaign}'`)}` : ''}]`;
    // Devices u = 10k and 10k + 1 are member k's two devices.
    await run(`
      INSERT INTO events_20201101 (event_date, event_timestamp, event_name, user_pseudo_id, user_id, event_params)
      SELECT '20201101', ${T0} + (hash(i, 'ts') % ${30 * DAY_S})::BIGINT * 1000000, name,
        'u' || u::VARCHAR, CASE WHEN u % 10 < 2 THEN 'm' || (u // 10)::VARCHAR END,
        [${param('ga_session_id', 'int', 's')}]
        || CASE
          ${arrival(1, 'google', 'organic')}
          ${arrival(2, 'google', 'cpc', 'brand')}
          ${arrival(4, 'newsletter', 'email', 'weekly')}
          ${arrival(5, 'facebook', 'paid_social', 'retarget')}
          ${arrival(6, 't.co', 'referral')}
          ELSE [] END
        || CASE WHEN name = 'purchase' THEN [
          ${param('transaction_id', 'string', "'T' || i::VARCHAR")},
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
    // A third of members visit a store, half of those then buy at the till: user_id only.
    await run(offlineEventsTableDdl());
    await run(`
      INSERT INTO offline_events (event_date, event_timestamp, event_name, user_id, platform, event_params, ecommerce, content_key)
      SELECT '20201101', ${T0} + (hash(k, v, 'ts') % ${30 * DAY_S})::BIGINT * 1000000, name, 'm' || k::VARCHAR, 'OFFLINE',
        [${param('source', 'string', 'name')}, ${param('medium', 'string', "'offline'")},
         ${param('ga_session_id', 'int', `-(${T0} + (hash(k, v, 'ts') % ${30 * DAY_S})::BIGINT * 1000000)`)},
         ${param('value', 'double', "CASE WHEN name = 'purchase' THEN 80.0 END")}],
        CASE WHEN name = 'purchase' THEN {'total_item_quantity': NULL, 'purchase_revenue_in_usd': NULL, 'purchase_revenue': 80.0,
          'refund_value_in_usd': NULL, 'refund_value': NULL, 'shipping_value_in_usd': NULL, 'shipping_value': NULL,
          'tax_value_in_usd': NULL, 'tax_value': NULL, 'unique_items': NULL, 'transaction_id': 'S' || k::VARCHAR} END,
        'k' || k::VARCHAR || '.' || v::VARCHAR
      FROM (
        SELECT k, v, CASE WHEN v = 0 THEN 'store_visit' ELSE 'purchase' END AS name
        FROM range(${Math.ceil(users / 10)}) AS m(k), range(2) AS w(v)
        WHERE hash(k, 'offline') % 3 = 0 AND (v = 0 OR hash(k, 'till') % 2 = 0)
      )`);
    await run(AD_COSTS_DDL);
    await run(`
      INSERT INTO ad_costs
      SELECT DATE '2020-11-01', source, medium, campaign || '_id', campaign, clicks * 40, clicks, clicks * cpc, 'USD'
      FROM (VALUES ('google', 'cpc', 'brand', ${Math.round(users / 8)}, 0.9),
                   ('facebook', 'paid_social', 'retarget', ${Math.round(users / 8)}, 0.5),
                   ('newsletter', 'email', 'weekly', ${Math.round(users / 8)}, 0.05)) AS c(source, medium, campaign, clicks, cpc)`);
  });
}

const sizes = (process.argv[2] ?? '1000000').split(',').map(Number);
const dir = join(tmpdir(), 'pathlight-bench-attribution-identity');
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
    `  load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const engine = await DuckdbEngine.open(file, { defaultTimeoutMs: 3_600_000 });
  try {
    const range = { start: '2020-11-01', end: '2020-11-01' };
    const floor = await time(() =>
      runQuery(engine, 'sessions_by_channel', {
        start_date: range.start,
        end_date: range.end,
        include_intraday: false,
      }),
    );
    console.log(`  sessions_by_channel (one-pass floor): ${floor.s.toFixed(2)} s`);
    for (const identity of ['device', 'blended'] as const) {
      const spec = parseAttributionSpec({
        dateRange: range,
        goal: { event: 'purchase', value: 'param:value' },
        identity,
      });
      const run = await time(() => runAttribution(engine, spec));
      const r = run.value;
      const paid = r.value?.touchpoints.find((x) => x.touchpoint === 'Paid Search');
      console.log(
        `  attribution ${identity}: ${run.s.toFixed(2)} s (${(run.s / floor.s).toFixed(1)}x floor); ${r.conversions} conversions, ${r.unattributed.withoutUser} without a person, ${r.nonConvertingPaths} non-converting paths, ${r.channels.length} touchpoints; Paid Search cost ${paid?.cost ?? '-'}, linear ROAS ${paid?.models.linear.roas ?? '-'}`,
      );
    }
    console.log(
      `  load average after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await engine.close();
  }
}
