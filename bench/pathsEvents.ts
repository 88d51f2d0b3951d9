import { buildEventsTable } from './syntheticEvents.js';

const T0 = 1604188800000000;
const DAY_S = 86_400;

/** The paths bench's synthetic events (see bench/paths.ts), one daily table over 30 days. */
export async function buildPathsEvents(file: string, events: number): Promise<void> {
  await buildEventsTable(file, events, async (run, users) => {
    await run(`
      INSERT INTO events_20201101 (event_date, event_timestamp, event_name, user_pseudo_id, event_params)
      SELECT
        '20201101',
        ${T0} + (hash(i, 'ts') % ${30 * DAY_S})::BIGINT * 1000000,
        name,
        'u' || (hash(i, 'user') % ${users})::VARCHAR,
        [
          {'key': 'ga_session_id', 'value': {'string_value': NULL, 'int_value': (hash(i, 'session') % 5)::BIGINT, 'float_value': NULL, 'double_value': NULL}},
          {'key': 'page_location', 'value': {'string_value': CASE WHEN name = 'page_view' THEN 'https://shop.example/p' || (hash(i, 'page') % 40)::VARCHAR || CASE WHEN hash(i, 'q') % 3 = 0 THEN '?q=' || (hash(i, 'qv') % 100)::VARCHAR ELSE '' END END, 'int_value': NULL, 'float_value': NULL, 'double_value': NULL}}
        ]
      FROM (
        SELECT i, CASE
          WHEN h < 5 THEN 'session_start' WHEN h < 50 THEN 'page_view' WHEN h < 64 THEN 'scroll'
          WHEN h < 84 THEN 'view_item' WHEN h < 92 THEN 'add_to_cart' WHEN h < 97 THEN 'begin_checkout'
          ELSE 'purchase' END AS name
        FROM (SELECT i, (hash(i, 'name') % 100)::INTEGER AS h FROM range(${events}) AS t(i))
      )`);
  });
}
