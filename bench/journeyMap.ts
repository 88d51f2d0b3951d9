/**
 * Journey map benchmark: `npx tsx bench/journeyMap.ts [events]` (default 1000000).
 * On synthetic events with devices, countries, first-touch sources and searches, one run each, side
 * by side: the plain stages query (default stage map, device identity), the journey map for all
 * users alone, and the journey map for all users and four personas (a device, a behaviour, a first
 * touch channel, a country). The events file is kept in $TMPDIR/pathlight-bench-map for re-runs.
 */
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseMapSpec } from '../src/analyses/map/mapSpec.js';
import { runMap } from '../src/analyses/map/runMap.js';
import { parsePersona } from '../src/analyses/personas/personaSpec.js';
import { runStages } from '../src/analyses/stages/runStages.js';
import { parseStagesSpec } from '../src/analyses/stages/stagesSpec.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { EVENTS_SCHEMA, type RecordField } from '../src/schema/ga4Schema.js';
import { structExpr } from '../src/sample/sampleSql.js';
import { buildEventsTable, timeOnce as time } from './syntheticEvents.js';

const T0 = 1604188800000000;
const DAY_S = 86_400;
const timeoutMs = 3_600_000;
const record = (name: string) => EVENTS_SCHEMA.find((f) => f.name === name) as RecordField;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const param = (key: string, kind: 'string' | 'int', value: string) =>
  `{'key': '${key}', 'value': {'string_value': ${kind === 'string' ? value : 'NULL'}, 'int_value': ${kind === 'int' ? value : 'NULL'}, 'float_value': NULL, 'double_value': NULL}}`;

/** 20 events a user over 30 days; a user's device, country and first source come from its number. */
async function buildMapEvents(file: string, events: number): Promise<void> {
  await buildEventsTable(file, events, async (run, users) => {
    const pick = (salt: string, values: string[]) =>
      `[${values.map((v) => `'${v}'`).join(', ')}][(hash(u, '${salt}') % ${values.length})::INTEGER + 1]`;
    await run(`
      INSERT INTO events_20201101 (event_date, event_timestamp, event_name, user_pseudo_id, event_params, device, geo, traffic_source)
      SELECT
        '20201101',
        ${T0} + (hash(i, 'ts') % ${30 * DAY_S})::BIGINT * 1000000,
        name,
        'u' || u::VARCHAR,
        [
          ${param('ga_session_id', 'int', "(hash(i, 'session') % 5)::BIGINT")},
          ${param('page_location', 'string', "CASE WHEN name = 'page_view' THEN 'https://shop.example/p' || (hash(i, 'page') % 40)::VARCHAR END")},
          ${param('search_term', 'string', "CASE WHEN name = 'view_search_results' THEN 'term' || (hash(i, 'term') % 30)::VARCHAR END")}
        ],
        ${structExpr(record('device'), { category: pick('device', ['desktop', 'mobile', 'tablet']) })},
        ${structExpr(record('geo'), { country: pick('geo', ['Germany', 'France', 'Spain', 'Italy']) })},
        ${structExpr(record('traffic_source'), {
          source: pick('src', ['google', 'google', '(direct)', 'newsletter']),
          medium: `CASE hash(u, 'src') % 4 WHEN 0 THEN 'organic' WHEN 1 THEN 'cpc' WHEN 2 THEN '(none)' ELSE 'email' END`,
          name: "'(organic)'",
        })}
      FROM (
        SELECT i, hash(i, 'user') % ${users} AS u, CASE
          WHEN h < 5 THEN 'session_start' WHEN h < 45 THEN 'page_view' WHEN h < 52 THEN 'view_search_results'
          WHEN h < 64 THEN 'scroll' WHEN h < 84 THEN 'view_item' WHEN h < 92 THEN 'add_to_cart'
          WHEN h < 97 THEN 'begin_checkout' ELSE 'purchase' END AS name
        FROM (SELECT i, (hash(i, 'name') % 100)::INTEGER AS h FROM range(${events}) AS t(i))
      )`);
  });
}

const size = Number(process.argv[2] ?? 1_000_000);
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);
const dir = join(tmpdir(), 'pathlight-bench-map');
mkdirSync(dir, { recursive: true });
const file = join(dir, `events-${size}.duckdb`);
const built = await time(() => buildMapEvents(file, size));
console.log(`${size} synthetic events (built in ${built.s.toFixed(1)} s), load ${load()}`);

const dateRange = { start: '2020-11-01', end: '2020-11-01' };
const personas = [
  { name: 'Mobile', device: { category: ['mobile'] } },
  { name: 'Searchers', behaviour: { did: [{ event: 'view_search_results', atLeast: 2 }] } },
  { name: 'Organic first touch', firstTouch: { channel: ['Organic Search'] } },
  { name: 'Germany', geo: { country: ['Germany'] } },
].map((p) => parsePersona(p));
const engine = await DuckdbEngine.open(file);
try {
  const stages = await time(() =>
    runStages(engine, parseStagesSpec({ dateRange, identity: 'device' }), { timeoutMs }),
  );
  console.log(
    `stages (default map): ${stages.s.toFixed(2)} s, ${stages.value.users} users, load ${load()}`,
  );
  const alone = await time(() =>
    runMap(engine, parseMapSpec({ dateRange, identity: 'device' }), [], { timeoutMs }),
  );
  console.log(`map, all users only: ${alone.s.toFixed(2)} s, load ${load()}`);
  const four = await time(() =>
    runMap(engine, parseMapSpec({ dateRange, identity: 'device', personas }), personas, {
      timeoutMs,
    }),
  );
  console.log(
    `map, all users + 4 personas: ${four.s.toFixed(2)} s (${four.value.personas.map((p) => `${p.name} ${p.users}`).join(', ')}), load ${load()}`,
  );
  // The map's who must be the stages' who: a benchmark that answers wrong measures nothing.
  const same = four.value.personas[0]!.stages.every(
    (s, i) => s.users === stages.value.stages[i]!.users,
  );
  console.log(`map all-users who equals stages: ${same}`);
  console.log(
    `ratios to stages: map alone ${(alone.s / stages.s).toFixed(2)}, map + 4 personas ${(four.s / stages.s).toFixed(2)}`,
  );
} finally {
  await engine.close();
}
