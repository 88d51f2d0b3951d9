import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dayColumns } from '../../src/sample/dayColumns.js';
import { generateSample } from '../../src/sample/generateSample.js';
import { EVENTS_SCHEMA } from '../../src/schema/ga4Schema.js';
import { duckdbType } from '../../src/schema/duckdbTypes.js';
import { runCli } from '../support/runCli.js';
import { queryFile } from '../support/queryFile.js';

const dir = mkdtempSync(join(tmpdir(), 'pathlight-sample-test-'));
const options = { days: 14, users: 400, seed: 7, endDate: '2026-10-31' };

const query = queryFile;

let file: string;
let events: number;
beforeAll(async () => {
  file = join(dir, 'a.duckdb');
  events = (await generateSample(file, options)).events;
}, 120_000);

describe('the sample generator', () => {
  it('writes 13 daily tables and an intraday table for the last day, with every row counted', async () => {
    const tables = await query<{ table_name: string }>(
      file,
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'events_%' AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      ...Array.from({ length: 13 }, (_, i) => `events_202610${String(18 + i).padStart(2, '0')}`),
      'events_intraday_20261031',
    ]);
    const [count] = await query<{ n: string }>(file, 'SELECT COUNT(*) AS n FROM events_wildcard');
    expect(Number(count?.n)).toBe(events);
  });

  it('conforms to the export schema: every column, type and nesting', async () => {
    const columns = await query<{ column_name: string; column_type: string }>(
      file,
      'DESCRIBE events_20261020',
    );
    const expected = EVENTS_SCHEMA.map((f) => [f.name, duckdbType(f).replaceAll('"', '')]);
    expect(columns.map((c) => [c.column_name, c.column_type.replaceAll('"', '')])).toEqual(
      expected,
    );
  });

  it('is deterministic for a seed and differs for another', async () => {
    const digest = (f: string) =>
      query<{ h: string }>(
        f,
        "SELECT md5(string_agg(CAST(e AS VARCHAR), '|' ORDER BY CAST(e AS VARCHAR))) AS h FROM events_wildcard AS e",
      );
    const again = join(dir, 'b.duckdb');
    const other = join(dir, 'c.duckdb');
    await generateSample(again, options);
    await generateSample(other, { ...options, seed: 8 });
    const [a] = await digest(file);
    const [b] = await digest(again);
    const [c] = await digest(other);
    expect(b?.h).toBe(a?.h);
    expect(c?.h).not.toBe(a?.h);
  }, 120_000);

  it('is the same whichever number of threads draws the users', async () => {
    const digest = (f: string) =>
      query<{ h: string; n: string }>(
        f,
        "SELECT md5(string_agg(CAST(e AS VARCHAR), '|' ORDER BY CAST(e AS VARCHAR))) AS h, COUNT(*) AS n FROM events_wildcard AS e",
      );
    const threaded = join(dir, 'threads.duckdb');
    // 400 users on three threads: ranges of 134, 134 and 132, each staged as its own part.
    const result = await generateSample(threaded, { ...options, drawThreads: 3 });
    expect(result.events).toBe(events);
    const [a] = await digest(file);
    const [b] = await digest(threaded);
    expect(Number(b?.n)).toBe(events);
    expect(b?.h).toBe(a?.h);
  }, 120_000);

  it('holds what the reports need: consent-mode rows, purchases with items, gclid sessions, midnight crossings', async () => {
    const [facts] = await query<Record<string, string>>(
      file,
      `SELECT
         AVG(CASE WHEN user_pseudo_id IS NULL THEN 1 ELSE 0 END) AS consent_share,
         COUNT(*) FILTER (WHERE event_name = 'purchase') AS purchases,
         COUNT(*) FILTER (WHERE event_name = 'purchase' AND (len(items) = 0 OR ecommerce.transaction_id IS NULL)) AS bare_purchases,
         COUNT(*) FILTER (WHERE list_contains(list_transform(event_params, p -> p.key), 'gclid')) AS gclid_events,
         COUNT(*) FILTER (WHERE _TABLE_SUFFIX LIKE 'intraday_%' AND (traffic_source IS NOT NULL OR user_ltv IS NOT NULL OR is_active_user IS NOT NULL)) AS intraday_filled
       FROM events_wildcard`,
    );
    expect(Number(facts?.consent_share)).toBeGreaterThan(0.01);
    expect(Number(facts?.consent_share)).toBeLessThan(0.1);
    expect(Number(facts?.purchases)).toBeGreaterThan(0);
    expect(Number(facts?.bare_purchases)).toBe(0);
    expect(Number(facts?.gclid_events)).toBeGreaterThan(0);
    expect(Number(facts?.intraday_filled)).toBe(0);
    const [crossing] = await query<{ n: string }>(
      file,
      `SELECT COUNT(*) AS n FROM (
         SELECT user_pseudo_id, list_filter(event_params, p -> p.key = 'ga_session_id')[1].value.int_value AS sid
         FROM events_wildcard WHERE user_pseudo_id IS NOT NULL
         GROUP BY ALL HAVING COUNT(DISTINCT event_date) > 1)`,
    );
    expect(Number(crossing?.n)).toBeGreaterThan(0);
  });

  it('holds the journeys the issue lists: repeat visits over weeks, lead goals, page and engagement parameters', async () => {
    const param = (key: string, kind: string) =>
      `list_filter(event_params, p -> p.key = '${key}')[1].value.${kind}`;
    const [facts] = await query<Record<string, string>>(
      file,
      `WITH u AS (
         SELECT user_pseudo_id,
           COUNT(DISTINCT ${param('ga_session_id', 'int_value')}) AS sessions,
           (MAX(event_timestamp) - MIN(event_timestamp)) / 86400e6 AS span_days
         FROM events_wildcard WHERE user_pseudo_id IS NOT NULL GROUP BY ALL)
       SELECT
         (SELECT COUNT(*) FROM u WHERE sessions >= 3 AND span_days >= 7) AS returning_over_weeks,
         COUNT(*) FILTER (WHERE event_name = 'generate_lead' AND ${param('form_id', 'string_value')} IS NOT NULL) AS leads,
         COUNT(*) FILTER (WHERE event_name = 'sign_up') AS sign_ups,
         COUNT(*) FILTER (WHERE event_name = 'newsletter_subscribe') AS newsletter,
         COUNT(*) FILTER (WHERE event_name = 'file_download') AS downloads,
         COUNT(*) FILTER (WHERE event_name = 'page_view' AND (${param('page_location', 'string_value')} IS NULL OR ${param('page_title', 'string_value')} IS NULL)) AS bare_page_views,
         COUNT(*) FILTER (WHERE event_name = 'page_view' AND ${param('page_referrer', 'string_value')} IS NOT NULL) AS referred_page_views,
         COUNT(*) FILTER (WHERE event_name = 'user_engagement' AND ${param('engagement_time_msec', 'int_value')} IS NULL) AS bare_engagement
       FROM events_wildcard`,
    );
    expect(Number(facts?.returning_over_weeks)).toBeGreaterThan(0);
    expect(Number(facts?.leads)).toBeGreaterThan(0);
    expect(Number(facts?.sign_ups)).toBeGreaterThan(0);
    expect(Number(facts?.newsletter)).toBeGreaterThan(0);
    expect(Number(facts?.downloads)).toBeGreaterThan(0);
    expect(Number(facts?.bare_page_views)).toBe(0);
    expect(Number(facts?.referred_page_views)).toBeGreaterThan(0);
    expect(Number(facts?.bare_engagement)).toBe(0);
  });

  it('answers the CLI with a summary, and names the flag at fault', async () => {
    const out = join(dir, 'cli.duckdb');
    const ok = await runCli(['sample', '--days', '3', '--users', '50', '--seed', '3', '--db', out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^[\d,]+ events in 3 tables written to /);
    // Not a terminal: progress as lines, the first step and the end at least.
    expect(ok.stderr).toContain('sample: users 50 of 50\n');
    expect(ok.stderr).toContain('sample: written\n');
    const bad = await runCli(['sample', '--days', 'ninety', '--db', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--days: expected a whole number, got "ninety"');
  }, 60_000);
});

describe('the sample generator, event mix and conversion', () => {
  it('has the event mix of a real web shop export (the public GA4 sample, within a few points)', async () => {
    const rows = await query<{ event_name: string; share: number }>(
      file,
      `SELECT event_name, COUNT(*) / SUM(COUNT(*)) OVER () AS share FROM events_wildcard GROUP BY ALL`,
    );
    const share = Object.fromEntries(rows.map((r) => [r.event_name, Number(r.share)]));
    // Reference shares: page_view 31.4%, user_engagement 24.6%, scroll 11.5%, view_item 9.0%,
    // session_start 8.3%, first_visit 6.0%, view_promotion 4.4%, add_to_cart 1.4%, view_search_results 0.6%.
    const bands: [string, number, number][] = [
      ['page_view', 0.26, 0.37],
      ['user_engagement', 0.2, 0.3],
      ['scroll', 0.08, 0.15],
      ['view_item', 0.07, 0.12],
      ['session_start', 0.06, 0.11],
      ['first_visit', 0.04, 0.08],
      ['view_promotion', 0.025, 0.06],
      ['add_to_cart', 0.006, 0.025],
      ['view_search_results', 0.002, 0.012],
      ['purchase', 0.0005, 0.005],
    ];
    for (const [name, low, high] of bands) {
      expect({ name, share: share[name] }).toEqual({
        name,
        share: expect.toSatisfy((x: number) => x >= low && x <= high),
      });
    }
  });

  it('converts differently by channel and by device, and has repeat buyers', async () => {
    // Enough sessions per channel for the differences to stand well clear of the noise.
    const big = join(dir, 'big.duckdb');
    await generateSample(big, { days: 30, users: 2500, seed: 7, endDate: '2026-10-31' });
    const rate = async (dimension: string) =>
      Object.fromEntries(
        (
          await query<{ k: string; rate: number }>(
            big,
            `WITH s AS (
               SELECT user_pseudo_id, list_filter(event_params, p -> p.key = 'ga_session_id')[1].value.int_value AS sid,
                      ${dimension} AS k, bool_or(event_name = 'purchase') AS bought
               FROM events_wildcard WHERE user_pseudo_id IS NOT NULL GROUP BY ALL)
             SELECT k, AVG(CASE WHEN bought THEN 1 ELSE 0 END) AS rate FROM s WHERE k IS NOT NULL GROUP BY k`,
          )
        ).map((r) => [r.k, Number(r.rate)]),
      );
    const byDevice = await rate('device.category');
    expect(byDevice.desktop).toBeGreaterThan(1.5 * (byDevice.mobile ?? 1));
    const byChannel = await rate(
      'session_traffic_source_last_click.cross_channel_campaign.default_channel_group',
    );
    expect(byChannel.Email).toBeGreaterThan(3 * (byChannel['Paid Social'] ?? 1));
    expect(byChannel['Paid Search']).toBeGreaterThan(1.5 * (byChannel['Organic Social'] ?? 1));
    const [repeat] = await query<{ n: string }>(
      big,
      `SELECT COUNT(*) AS n FROM (
         SELECT user_pseudo_id FROM events_wildcard
         WHERE event_name = 'purchase' AND user_pseudo_id IS NOT NULL
         GROUP BY ALL HAVING COUNT(DISTINCT ecommerce.transaction_id) >= 2)`,
    );
    expect(Number(repeat?.n)).toBeGreaterThan(0);
  }, 120_000);
});

describe('the sample generator, columns by date', () => {
  it('sets the columns GA4 added later only on days after they existed', async () => {
    const old = join(dir, 'dated.duckdb');
    // 28 Jun to 2 Jul 2024: session_traffic_source_last_click starts on 1 Jul; 2 Jul is intraday.
    await generateSample(old, { days: 5, users: 300, seed: 5, endDate: '2024-07-02' });
    const rows = await query<Record<string, string | number>>(
      old,
      `SELECT _TABLE_SUFFIX AS t,
         COUNT(*) FILTER (WHERE session_traffic_source_last_click IS NOT NULL) AS last_click,
         COUNT(*) FILTER (WHERE batch_ordering_id IS NOT NULL) AS batch,
         COUNT(*) FILTER (WHERE is_active_user IS NOT NULL) AS active,
         COUNT(*) FILTER (WHERE collected_traffic_source IS NOT NULL) AS collected,
         COUNT(*) FILTER (WHERE list_contains(list_transform(event_params, p -> p.key), 'batch_ordering_id')) AS batch_param,
         COUNT(*) AS n
       FROM events_wildcard GROUP BY ALL ORDER BY t`,
    );
    expect(rows.map((r) => r.t)).toEqual([
      '20240628',
      '20240629',
      '20240630',
      '20240701',
      'intraday_20240702',
    ]);
    for (const r of rows) {
      const n = Number(r.n);
      const lastClickDay = r.t === '20240701' || r.t === 'intraday_20240702';
      expect(Number(r.last_click)).toBe(lastClickDay ? n : 0);
      expect(Number(r.batch)).toBe(n);
      expect(Number(r.batch_param)).toBe(0);
      expect(Number(r.active)).toBe(r.t === 'intraday_20240702' ? 0 : n);
      expect(Number(r.collected)).toBeGreaterThan(0);
    }
  }, 60_000);

  it('leaves them all NULL in 2020, with the batch order keys as event parameters instead', async () => {
    const old = join(dir, 'old.duckdb');
    await generateSample(old, { days: 3, users: 200, seed: 5, endDate: '2020-11-03' });
    const [r] = await query<Record<string, string>>(
      old,
      `SELECT COUNT(*) AS n,
         COUNT(*) FILTER (WHERE session_traffic_source_last_click IS NOT NULL OR batch_ordering_id IS NOT NULL
           OR batch_page_id IS NOT NULL OR batch_event_index IS NOT NULL OR is_active_user IS NOT NULL
           OR collected_traffic_source IS NOT NULL) AS newer,
         COUNT(*) FILTER (WHERE list_contains(list_transform(event_params, p -> p.key), 'batch_ordering_id')
           AND list_contains(list_transform(event_params, p -> p.key), 'batch_page_id')) AS batch_param
       FROM events_wildcard`,
    );
    expect(Number(r?.newer)).toBe(0);
    expect(Number(r?.batch_param)).toBe(Number(r?.n));
  }, 60_000);

  it('knows the first day of each column', () => {
    expect(dayColumns('20230430', false)).toEqual({
      intraday: false,
      collectedTrafficSource: false,
      isActiveUser: false,
      batch: false,
      sessionLastClick: false,
    });
    expect(dayColumns('20230501', false).collectedTrafficSource).toBe(true);
    expect(dayColumns('20230630', false).isActiveUser).toBe(false);
    expect(dayColumns('20230701', false).isActiveUser).toBe(true);
    expect(dayColumns('20240531', true).batch).toBe(false);
    expect(dayColumns('20240601', true)).toEqual({
      intraday: true,
      collectedTrafficSource: true,
      isActiveUser: true,
      batch: true,
      sessionLastClick: false,
    });
    expect(dayColumns('20240701', false).sessionLastClick).toBe(true);
  });
});
