import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckdbEngine } from '../engines/duckdb/DuckdbEngine.js';
import { EVENTS_VIEW, listEventTables } from '../engines/duckdb/eventsView.js';
import { quoteIdent } from '../schema/duckdbTypes.js';
import { importAdCosts } from '../importer/costs/importAdCosts.js';
import { importOfflineEvents } from '../importer/offline/importOfflineEvents.js';

/** What the sample's sign-ins, offline rows and cost file added. */
export interface JourneyExtras {
  signedInDevices: number;
  offlineRows: number;
  costRows: number;
}

/** Cost per click of the sample's paid campaigns: brand search is cheap, social in between. */
const CPC: Record<string, number> = {
  brand_search: 0.6,
  generic_search: 1.1,
  fall_sale: 0.45,
  new_arrivals: 0.5,
};

// Deterministic shares by hashing the device id with the seed, so one seed gives one sample.
const bucket = (seed: number, salt: string) => `hash(user_pseudo_id || '${salt}${seed}') % 100`;

/**
 * Makes the generated export show whole journeys: a share of devices with a second session
 * signs in at its start (a `login` event; every later event carries the user_id), paired so
 * each member uses two devices; members visit a store, call, or buy at the till (offline rows
 * with only their user_id, some calls with only a client_id), imported through the offline
 * import; and the paid campaigns get a cost file (clicks = their sessions), imported as costs.
 */
export async function addJourneyExtras(dbPath: string, seed: number): Promise<JourneyExtras> {
  const engine = await DuckdbEngine.open(dbPath, { mode: 'write' });
  const connection = await engine.connect();
  let signedInDevices: number;
  let offline: string[];
  let costs: string[];
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE signin AS
      WITH second_sessions AS (
        SELECT user_pseudo_id, MIN(event_timestamp) AS login_ts
        FROM ${EVENTS_VIEW}
        WHERE event_name = 'session_start' AND param_int(event_params, 'ga_session_number') = 2
          AND ${bucket(seed, 'signin')} < 30
        GROUP BY user_pseudo_id
      )
      SELECT user_pseudo_id, login_ts,
        'member_' || CAST((ROW_NUMBER() OVER (ORDER BY hash(user_pseudo_id || '${seed}')) + 1) // 2 AS VARCHAR) AS user_id
      FROM second_sessions`);
    await connection.run('BEGIN TRANSACTION');
    for (const table of await listEventTables(connection)) {
      const t = quoteIdent(table);
      await connection.run(`INSERT INTO ${t}
        SELECT e.* REPLACE ('login' AS event_name, e.event_timestamp + 1 AS event_timestamp, s.user_id AS user_id)
        FROM ${t} AS e JOIN signin AS s
          ON s.user_pseudo_id = e.user_pseudo_id AND e.event_timestamp = s.login_ts AND e.event_name = 'session_start'`);
      await connection.run(`UPDATE ${t} SET user_id = s.user_id FROM signin AS s
        WHERE s.user_pseudo_id = ${t}.user_pseudo_id AND ${t}.event_timestamp > s.login_ts`);
    }
    await connection.run('COMMIT');
    const counted = await connection.runAndReadAll('SELECT count(*) AS n FROM signin');
    signedInDevices = Number(counted.getRowObjectsJS()[0]?.n ?? 0);
    // Members' offline contacts, a few days after signing in, and calls from unknown devices.
    const rows = await connection.runAndReadAll(`
      SELECT user_id, NULL AS client_id, login_ts + 3 * 86400000000 + 3600000000 AS ts,
        CASE ${bucket(seed, 'offline').replace('user_pseudo_id', 's.user_pseudo_id')} % 3
          WHEN 0 THEN 'store_visit' WHEN 1 THEN 'phone_call' ELSE 'purchase' END AS event_name,
        s.user_pseudo_id AS device
      FROM signin AS s
      WHERE ${bucket(seed, 'member').replace('user_pseudo_id', 's.user_pseudo_id')} < 60
      UNION ALL
      SELECT NULL, user_pseudo_id, MIN(event_timestamp) + 2 * 86400000000, 'phone_call', user_pseudo_id
      FROM ${EVENTS_VIEW}
      WHERE event_name = 'add_to_cart' AND ${bucket(seed, 'call')} < 5
      GROUP BY user_pseudo_id
      ORDER BY ts, device`);
    const last = await connection.runAndReadAll(
      `SELECT MAX(event_timestamp) AS t FROM ${EVENTS_VIEW}`,
    );
    const end = Number(last.getRowObjectsJS()[0]?.t ?? 0);
    offline = rows
      .getRowObjectsJS()
      .filter((r) => Number(r.ts) <= end)
      .map((r, i) => {
        const purchase = r.event_name === 'purchase';
        const value = purchase ? (40 + ((i * 37) % 160)).toFixed(2) : '';
        return [
          r.client_id ?? '',
          r.user_id ?? '',
          String(r.ts),
          String(r.event_name),
          purchase ? `STORE-${i + 1}` : '',
          value,
          purchase ? 'USD' : '',
        ].join(',');
      });
    const paid = await connection.runAndReadAll(`
      SELECT strftime(CAST(to_timestamp(event_timestamp / 1000000) AS DATE), '%Y-%m-%d') AS day,
        param_string(event_params, 'source') AS source, param_string(event_params, 'medium') AS medium,
        param_string(event_params, 'campaign') AS campaign, count(*) AS clicks
      FROM ${EVENTS_VIEW}
      WHERE event_name = 'session_start' AND param_string(event_params, 'campaign') IN (${Object.keys(
        CPC,
      )
        .map((c) => `'${c}'`)
        .join(', ')})
      GROUP BY ALL ORDER BY ALL`);
    costs = paid.getRowObjectsJS().map((r) => {
      const clicks = Number(r.clicks);
      const campaign = String(r.campaign);
      return [
        r.day,
        r.source,
        r.medium,
        `${campaign}_id`,
        campaign,
        clicks * 40,
        clicks,
        (clicks * (CPC[campaign] ?? 1)).toFixed(2),
        'USD',
      ].join(',');
    });
  } finally {
    connection.closeSync();
    await engine.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-sample-extras-'));
  try {
    if (offline.length > 0) {
      const file = join(dir, 'offline_events.csv');
      writeFileSync(
        file,
        [
          'client_id,user_id,timestamp_micros,event_name,event_param.transaction_id,event_param.value,event_param.currency',
          ...offline,
        ].join('\n'),
      );
      await importOfflineEvents(dbPath, [file]);
    }
    if (costs.length > 0) {
      const file = join(dir, 'ad_costs.csv');
      writeFileSync(
        file,
        [
          'date,utm_source,utm_medium,utm_id,utm_campaign,impressions,clicks,cost,currency',
          ...costs,
        ].join('\n'),
      );
      await importAdCosts(dbPath, file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { signedInDevices, offlineRows: offline.length, costRows: costs.length };
}
