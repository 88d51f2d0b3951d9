import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { generateSample } from '../../src/sample/generateSample.js';
import { addJourneyExtras, type JourneyExtras } from '../../src/sample/sampleJourneyExtras.js';

let engine: DuckdbEngine;
let extras: JourneyExtras;
beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'pathlight-extras-')), 'events.duckdb');
  await generateSample(file, { days: 14, users: 300, seed: 5, endDate: '2026-10-31' });
  extras = await addJourneyExtras(file, 5);
  engine = await DuckdbEngine.open(file);
}, 240_000);
afterAll(async () => engine?.close());

const one = async (sql: string) =>
  (await engine.query(sql, {}, { name: 'check' })).rows[0] as Record<string, unknown>;

describe('the sample signs users in on two devices, adds offline contacts and ad costs', () => {
  // The generator's own sign-ups carry user ids of their own (one device each); members are ours.
  it('each signed-in device has one login, and its events carry the member id from it on only', async () => {
    expect(extras.signedInDevices).toBeGreaterThan(4);
    const facts = await one(`
      WITH logins AS (
        SELECT user_pseudo_id, MIN(event_timestamp) AS at, COUNT(*) AS n, MIN(user_id) AS user_id
        FROM events_wildcard WHERE event_name = 'login' GROUP BY user_pseudo_id
      )
      SELECT
        (SELECT COUNT(*) FROM logins) AS devices,
        (SELECT MAX(n) FROM logins) AS most_logins,
        (SELECT COUNT(*) FROM events_wildcard e JOIN logins l USING (user_pseudo_id)
          WHERE e.event_timestamp < l.at AND e.user_id LIKE 'member_%') AS ids_before,
        (SELECT COUNT(*) FROM events_wildcard e JOIN logins l USING (user_pseudo_id)
          WHERE e.event_timestamp >= l.at AND e.user_id IS DISTINCT FROM l.user_id) AS missing_after,
        (SELECT COUNT(*) FROM events_wildcard e WHERE e.user_id LIKE 'member_%' AND e.platform <> 'OFFLINE'
          AND e.user_pseudo_id NOT IN (SELECT user_pseudo_id FROM logins)) AS ids_without_login,
        (SELECT MAX(d) FROM (SELECT COUNT(DISTINCT user_pseudo_id) AS d FROM logins GROUP BY user_id)) AS most_devices,
        (SELECT COUNT(*) FROM (SELECT user_id FROM logins GROUP BY user_id HAVING COUNT(*) = 2)) AS two_device_members`);
    expect(facts).toMatchObject({
      devices: extras.signedInDevices,
      most_logins: 1,
      ids_before: 0,
      missing_after: 0,
      ids_without_login: 0,
      most_devices: 2,
    });
    expect(Number(facts.two_device_members)).toBeGreaterThan(1);
  });

  it('imports its offline rows and a cost file priced per click of each paid campaign', async () => {
    expect(await one('SELECT COUNT(*) AS n FROM offline_events')).toEqual({
      n: extras.offlineRows,
    });
    expect(extras.offlineRows).toBeGreaterThan(0);
    // Cost = paid sessions x the campaign's cost per click, computed here from the sessions.
    const cost = await one(`
      SELECT
        (SELECT ROUND(SUM(cost), 2) FROM ad_costs) AS imported,
        (SELECT ROUND(SUM(CASE param_string(event_params, 'campaign')
            WHEN 'brand_search' THEN 0.6 WHEN 'generic_search' THEN 1.1
            WHEN 'fall_sale' THEN 0.45 WHEN 'new_arrivals' THEN 0.5 END), 2)
          FROM events_wildcard WHERE event_name = 'session_start'
            AND param_string(event_params, 'campaign') IN ('brand_search', 'generic_search', 'fall_sale', 'new_arrivals')) AS expected`);
    expect(Number(cost.imported)).toBeGreaterThan(0);
    expect(cost.imported).toBe(cost.expected);
  });

  it('shows offline touches and ROAS in attribution out of the box', async () => {
    const r = await runAttribution(
      engine,
      parseAttributionSpec({
        dateRange: { start: '2026-10-18', end: '2026-10-31' },
        goal: { event: 'purchase' },
      }),
    );
    expect(r.channels.map((c) => c.channel)).toContain('Offline');
    const paidSearch = r.value?.touchpoints.find((t) => t.touchpoint === 'Paid Search');
    expect(paidSearch?.cost).toBeGreaterThan(0);
    expect(r.value?.currency).toBe('USD');
  });
});
