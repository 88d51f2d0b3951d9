import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { goalTotalsQuery } from '../../src/reports/reportGoal.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { edgeCaseTables } from '../fixtures/edgeCases.js';
import { createEventsDb } from '../support/loadRows.js';

/** Expected values below are counted by hand from test/fixtures/edgeCases.ts. */
let engine: DuckdbEngine;
const range = { start_date: '2020-11-01', end_date: '2020-11-03' };

beforeAll(async () => {
  engine = await DuckdbEngine.open(await createEventsDb(edgeCaseTables()));
});
afterAll(async () => {
  await engine.close();
});

/** The totals of a bare `purchase` goal (no conditions, the default value source). */
const totals = (name: 'daily_totals' | 'range_totals', params: Record<string, unknown>) => {
  const goal = goalTotalsQuery({ name: 'purchase', event: 'purchase', where: [] });
  return runQuery(engine, name, { ...params, ...goal.params }, { context: goal.context });
};

describe('daily_totals on DuckDB', () => {
  it('counts users, sessions, events and de-duplicated conversions per day, daily tables only', async () => {
    const { rows } = await totals('daily_totals', { ...range, include_intraday: false });
    expect(rows).toEqual([
      // u1, u2, u3 and one consent-mode event; T9's value is a string, so its revenue is 0.
      { event_date: '20201101', users: 3, sessions: 3, events: 6, events_without_user: 1, conversions: 2, revenue: 3 },
      // T1 logged twice counts once; u1's session crossed midnight and counts on this day too.
      { event_date: '20201102', users: 1, sessions: 1, events: 2, events_without_user: 0, conversions: 1, revenue: 12.5 },
    ]);
  });

  it('includes the intraday table only when asked', async () => {
    const { rows } = await totals('daily_totals', { ...range, include_intraday: true });
    expect(rows.at(-1)).toEqual({
      event_date: '20201103',
      users: 1,
      sessions: 1,
      events: 2,
      events_without_user: 0,
      conversions: 1,
      revenue: 20,
    });
  });

  it('bounds the range by table suffix', async () => {
    const { rows } = await totals('daily_totals', {
      start_date: '2020-11-02',
      end_date: '2020-11-02',
      include_intraday: true,
    });
    expect(rows.map((r) => r.event_date)).toEqual(['20201102']);
  });
});

describe('range_totals on DuckDB', () => {
  it('counts users and sessions once over the range, each transaction once', async () => {
    const { rows } = await totals('range_totals', { ...range, include_intraday: false });
    // u1, u2, u3 (daily rows say 3 + 1); sessions u1.100, u2.200, u3.300 (daily: 3 + 1, u1's crosses
    // midnight); T1 twice + T9 + the consent-mode purchase = 3 conversions, revenue 12.5 + 0 + 3.
    expect(rows).toEqual([{ users: 3, sessions: 3, events: 8, events_without_user: 1, conversions: 3, revenue: 15.5 }]);
  });

  it('adds the intraday table only when asked', async () => {
    const { rows } = await totals('range_totals', { ...range, include_intraday: true });
    // u4's newsletter session and T2 for 20.
    expect(rows).toEqual([{ users: 4, sessions: 4, events: 10, events_without_user: 1, conversions: 4, revenue: 35.5 }]);
  });

  it('answers zeros on a range without data', async () => {
    const { rows } = await totals('range_totals', {
      start_date: '2021-01-01',
      end_date: '2021-01-07',
      include_intraday: false,
    });
    expect(rows).toEqual([{ users: 0, sessions: 0, events: 0, events_without_user: 0, conversions: 0, revenue: 0 }]);
  });
});

describe('event_counts on DuckDB', () => {
  it('lists event names with events, users, consent-mode events and days', async () => {
    const { rows } = await runQuery(engine, 'event_counts', { ...range, include_intraday: false });
    expect(rows).toEqual([
      { event_name: 'purchase', events: 4, users: 2, events_without_user: 1, days: 2, first_date: '20201101', last_date: '20201102' },
      { event_name: 'page_view', events: 2, users: 2, events_without_user: 0, days: 1, first_date: '20201101', last_date: '20201101' },
      { event_name: 'scroll', events: 1, users: 1, events_without_user: 0, days: 1, first_date: '20201101', last_date: '20201101' },
      { event_name: 'session_start', events: 1, users: 1, events_without_user: 0, days: 1, first_date: '20201101', last_date: '20201101' },
    ]);
  });
});

describe('event_param_values on DuckDB', () => {
  it('keeps each value with its exported type and ranks the top values per key', async () => {
    const { rows } = await runQuery(engine, 'event_param_values', { ...range, include_intraday: false, top_values: 1 });
    const purchaseValue = rows.filter((r) => r.event_name === 'purchase' && r.key === 'value');
    // value: 12.5 twice (double), 3 once (int), 'n/a' once (string); top 1 keeps 12.5.
    expect(purchaseValue).toEqual([
      { event_name: 'purchase', key: 'value', key_events: 4, value_type: 'double', string_value: null, int_value: null, double_value: 12.5, events: 2 },
    ]);
    const scrollKeys = rows.filter((r) => r.event_name === 'scroll');
    expect(scrollKeys).toEqual([]);
  });
});

describe('sessions_by_channel on DuckDB', () => {
  it('gives each session its touchpoint: campaign data, gclid, or direct', async () => {
    const { rows } = await runQuery(engine, 'sessions_by_channel', { ...range, include_intraday: true });
    expect(rows).toEqual([
      { channel: 'Direct', source_medium: '(direct) / (none)', campaign: '(direct)', sessions: 1, users: 1 },
      { channel: 'Email', source_medium: 'newsletter / email', campaign: 'november', sessions: 1, users: 1 },
      { channel: 'Organic Search', source_medium: 'google / organic', campaign: '(not set)', sessions: 1, users: 1 },
      { channel: 'Paid Search', source_medium: 'google / cpc', campaign: '(not set)', sessions: 1, users: 1 },
    ]);
  });
});
