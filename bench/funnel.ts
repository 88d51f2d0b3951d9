/**
 * Funnel benchmark: ours (sql/funnel.sql) vs the textbook per-step-subquery join
 * (sql/funnel_textbook.sql) vs the floor (sql/funnel_floor.sql, one scan grouped by user), on the
 * same flat synthetic events on DuckDB, 1M and 10M events. Run: `npx tsx bench/funnel.ts [sizes]`.
 * Also timed alone: sql/funnel_next_action.sql (by event) on the funnel without windows.
 *
 * The events are generated in DuckDB SQL (deterministic hash of the row number), not by
 * src/sample/generateSample.ts: that generator writes ~4k events/s here, 40+ minutes for 10M.
 * 20 events per user on average over 30 days; names: page_view 50%, scroll 16%, view_item 20%,
 * add_to_cart 8%, begin_checkout 4%, purchase 2%; one ga_session_id parameter per event.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFunnel } from '../src/analyses/funnel/runFunnel.js';
import { parseFunnelSpec } from '../src/analyses/funnel/funnelSpec.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { nextActionQuery } from '../src/analyses/funnel/nextActions.js';
import { runQuery } from '../src/sql/runQuery.js';
import { buildEventsTable } from './syntheticEvents.js';

const T0 = 1604188800000000;
const DAY = 86_400_000_000;

async function build(file: string, events: number): Promise<void> {
  await buildEventsTable(file, events, async (run, users) => {
    await run(`
      INSERT INTO events_20201101 (event_date, event_timestamp, event_name, user_pseudo_id, event_params)
      SELECT
        '20201101',
        ${T0} + (hash(i, 'ts') % ${(30 * DAY) / 1_000_000})::BIGINT * 1000000,
        CASE
          WHEN h < 50 THEN 'page_view' WHEN h < 66 THEN 'scroll' WHEN h < 86 THEN 'view_item'
          WHEN h < 94 THEN 'add_to_cart' WHEN h < 98 THEN 'begin_checkout' ELSE 'purchase'
        END,
        'u' || (hash(i, 'user') % ${users})::VARCHAR,
        [{'key': 'ga_session_id', 'value': {'string_value': NULL, 'int_value': (hash(i, 'session') % 5)::BIGINT, 'float_value': NULL, 'double_value': NULL}}]
      FROM (SELECT i, (hash(i, 'name') % 100)::INTEGER AS h FROM range(${events}) AS t(i))`);
  });
}

async function time<T>(f: () => Promise<T>, runs = 3): Promise<{ s: number; value: T }> {
  let best = Infinity;
  let value: T | undefined;
  await f(); // warm the file cache
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await f();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { s: best, value: value as T };
}

const STEPS = ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'];
const range = { start: '2020-11-01', end: '2020-11-01' };
const stepParams = Object.fromEntries(STEPS.map((e, i) => [`step${i + 1}_event`, e]));
const dateParams = { start_date: range.start, end_date: range.end, include_intraday: false };

const sizes = (process.argv[2] ?? '1000000,10000000').split(',').map(Number);
const dir = join(tmpdir(), 'pathlight-bench');
mkdirSync(dir, { recursive: true });
const lines: string[] = [];
for (const size of sizes) {
  const file = join(dir, `funnel-flat-${size}.duckdb`);
  await build(file, size);
  const engine = await DuckdbEngine.open(file);
  try {
    const plain = parseFunnelSpec({ dateRange: range, steps: STEPS.map((event) => ({ event })) });
    const windowed = parseFunnelSpec({
      dateRange: range,
      window: '1d',
      steps: STEPS.map((event, i) => (i === 0 ? { event } : { event, within: '1h' })),
    });
    const floor = await time(() =>
      runQuery(engine, 'funnel_floor', { ...dateParams, ...stepParams }),
    );
    const textbook = await time(() =>
      runQuery(engine, 'funnel_textbook', { ...dateParams, ...stepParams }),
    );
    const oursPlain = await time(() => runFunnel(engine, plain));
    const oursWindowed = await time(() => runFunnel(engine, windowed));
    const next = nextActionQuery({ ...plain, nextAction: { by: 'event', top: 5 } });
    const nextAction = await time(() =>
      runQuery(engine, 'funnel_next_action', next.params, { context: next.context }),
    );
    const textbookCounts = textbook.value.rows.map((r) => Number(r.users));
    const oursCounts = oursPlain.value.steps.map((s) => s.count);
    const agree = JSON.stringify(textbookCounts) === JSON.stringify(oursCounts);
    const row = {
      events: size,
      floor_s: floor.s.toFixed(3),
      textbook_s: textbook.s.toFixed(3),
      ours_s: oursPlain.s.toFixed(3),
      ours_within_window_s: oursWindowed.s.toFixed(3),
      next_action_s: nextAction.s.toFixed(3),
      ours_vs_textbook: (oursPlain.s / textbook.s).toFixed(2),
      ours_within_window_vs_floor: (oursWindowed.s / floor.s).toFixed(2),
      agree,
      counts: oursCounts.join('/'),
      counts_within_window: oursWindowed.value.steps.map((s) => s.count).join('/'),
    };
    console.log(JSON.stringify(row));
    lines.push(
      `| ${size.toLocaleString('en-US')} | ${row.floor_s} | ${row.textbook_s} | ${row.ours_s} | ${row.ours_within_window_s} | ${row.next_action_s} | ${row.ours_vs_textbook}x | ${row.ours_within_window_vs_floor}x | ${agree ? 'yes' : 'NO'} (${row.counts}) |`,
    );
  } finally {
    await engine.close();
  }
}
console.log(
  [
    '| events | floor s | textbook s | ours s (no windows) | ours s (within 1h + window 1d) | next action s | ours / textbook | ours windowed / floor | ours = textbook |',
    '|---|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n'),
);
