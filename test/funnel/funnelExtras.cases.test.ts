import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFunnelSpec, type FunnelSpecInput } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { funnelTable } from '../../src/cli/commands/funnel.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../src/errors/errors.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';

const T0 = 1604188800000000; // 2020-11-01T00:00:00Z, a Sunday
const M = 60_000_000;
const DAY = 24 * 60 * M;

function ev(user: string, name: string, t: number): EventRow {
  const date = new Date((T0 + t) / 1000).toISOString().slice(0, 10).replaceAll('-', '');
  return {
    event_date: date,
    event_timestamp: T0 + t,
    event_name: name,
    user_pseudo_id: user,
    event_params: params({ ga_session_id: 1 }),
  };
}

// Time to convert, A -> B: nine users converting in 1..8 and 20 minutes, one converting twice
// (A@0, A@30m, B@33m: its shortest chain is 3 minutes), one never converting.
// Trend (A -> C, 1-10 November): d1 enters on 1 Nov and converts; d2 enters on 2 Nov; d3 enters on
// 2 Nov and converts on 9 Nov (counted on 2 Nov); d4 enters on 9 Nov.
const ROWS: EventRow[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8, 20].flatMap((m) => [ev(`t${m}`, 'A', 0), ev(`t${m}`, 'B', m * M)]),
  ev('retry', 'A', 0),
  ev('retry', 'A', 30 * M),
  ev('retry', 'B', 33 * M),
  ev('never', 'A', 0),
  ev('d1', 'A', 0),
  ev('d1', 'C', M),
  ev('d2', 'A', DAY),
  ev('d3', 'A', DAY + M),
  ev('d3', 'C', 8 * DAY),
  ev('d4', 'A', 8 * DAY + 5 * M),
];

let engine: DuckdbEngine;
beforeAll(async () => {
  const tables: Record<string, EventRow[]> = {};
  for (const row of ROWS) (tables[row.event_date as string] ??= []).push(row);
  engine = await DuckdbEngine.open(await createEventsDb(tables));
});
afterAll(async () => {
  await engine.close();
});

const run = (spec: Omit<FunnelSpecInput, 'dateRange'>) =>
  runFunnel(
    engine,
    parseFunnelSpec({ dateRange: { start: '2020-11-01', end: '2020-11-10' }, ...spec }),
  );

describe('funnel time to convert (hand-computed)', () => {
  it('gives the distribution of the shortest chains, PostHog-style bins', async () => {
    const result = await run({ steps: [{ event: 'A' }, { event: 'B' }], timeToConvert: {} });
    // Minutes 1 2 3 3 4 5 6 7 8 20: n = 10, ceil(cbrt 10) = 3 bins of ceil((1200 - 60) / 3) = 380 s.
    expect(result.timeToConvert).toEqual({
      toStep: 2,
      count: 10,
      meanSeconds: 354,
      medianSeconds: 270,
      percentiles: { p25: 180, p75: 420, p90: 480, p95: 1200, p99: 1200 },
      bins: [
        { fromSeconds: 60, toSeconds: 440, count: 8 },
        { fromSeconds: 440, toSeconds: 820, count: 1 },
        { fromSeconds: 820, toSeconds: 1200, count: 1 },
      ],
    });
    expect(result.trend).toBeNull();
    const table = funnelTable(result);
    expect(table).toContain('time to convert, step 1 to step 2: 10 users');
    expect(table).toMatch(/median 4\.5m\s+mean 5\.9m\s+p25 3\.0m/);
    expect(table).toMatch(/60s to 7\.3m\s+8 +█{30}/);
  });

  it('counts only chains within the window and stops at toStep', async () => {
    // window 5m: t1..t5 and retry (3m) reach B; durations 1 2 3 3 4 5 minutes.
    const result = await run({
      window: '5m',
      steps: [{ event: 'A' }, { event: 'B' }, { event: 'C' }],
      timeToConvert: { toStep: 2 },
    });
    expect(result.timeToConvert?.count).toBe(6);
    expect(result.timeToConvert?.medianSeconds).toBe(180);
    // ceil(cbrt 6) = 2 bins of ceil((300 - 60) / 2) = 120 s: 1 2 3 3 | 4 5.
    expect(result.timeToConvert?.bins).toEqual([
      { fromSeconds: 60, toSeconds: 180, count: 2 },
      { fromSeconds: 180, toSeconds: 300, count: 4 },
    ]);
  });

  it('answers an empty distribution when nobody converts', async () => {
    const result = await run({ steps: [{ event: 'B' }, { event: 'A' }], timeToConvert: {} });
    expect(result.timeToConvert).toEqual({
      toStep: 2,
      count: 0,
      meanSeconds: null,
      medianSeconds: null,
      percentiles: { p25: null, p75: null, p90: null, p95: null, p99: null },
      bins: [],
    });
  });

  it('names the bad option', () => {
    const spec = (extra: object) => () =>
      parseFunnelSpec({
        dateRange: { start: '2020-11-01', end: '2020-11-10' },
        steps: [{ event: 'A' }, { event: 'B' }],
        ...extra,
      });
    expect(spec({ timeToConvert: { toStep: 3 } })).toThrow(
      'timeToConvert.toStep: expected a step number from 2 to 2',
    );
    expect(spec({ timeToConvert: { toStep: 1 } })).toThrow('timeToConvert.toStep');
    expect(spec({ type: 'open', timeToConvert: {} })).toThrow(
      'timeToConvert: time to convert needs a closed funnel',
    );
    expect(spec({ trend: { interval: 'month' } })).toThrow(InputError);
    expect(spec({ trend: { interval: 'month' } })).toThrow('trend.interval');
  });
});

describe('trended funnel (hand-computed)', () => {
  const names = ['A', 'C'];
  it('counts each unit once, in the day of its first entry', async () => {
    const result = await run({
      steps: [{ event: 'A' }, { event: 'C' }],
      trend: { interval: 'day' },
    });
    const periods = result.trend?.periods ?? [];
    expect(result.trend?.interval).toBe('day');
    expect(periods.map((p) => p.start)).toEqual(
      Array.from({ length: 10 }, (_v, i) => `2020-11-${String(i + 1).padStart(2, '0')}`),
    );
    // 1 Nov: the eleven time-to-convert users and d1 enter, d1 reaches C.
    expect(periods[0]?.steps.map((s) => s.count)).toEqual([12, 1]);
    expect(periods[0]?.steps[1]).toEqual({
      name: 'C',
      count: 1,
      conversionRate: 0.0833,
      fromPrevious: 0.0833,
    });
    expect(periods[1]?.steps.map((s) => s.count)).toEqual([2, 1]);
    expect(periods[1]?.steps[1]?.conversionRate).toBe(0.5);
    expect(periods[8]?.steps.map((s) => s.count)).toEqual([1, 0]);
    for (const i of [2, 3, 4, 5, 6, 7, 9])
      expect(periods[i]?.steps.map((s) => s.count)).toEqual([0, 0]);
    // The periods add up to the whole funnel.
    expect(result.steps.map((s) => s.count)).toEqual([15, 2]);
    expect(names).toEqual(periods[0]?.steps.map((s) => s.name));
  });

  it('groups by Monday-based weeks', async () => {
    const result = await run({
      steps: [{ event: 'A' }, { event: 'C' }],
      trend: { interval: 'week' },
    });
    expect(result.trend?.periods.map((p) => [p.start, ...p.steps.map((s) => s.count)])).toEqual([
      ['2020-10-26', 12, 1],
      ['2020-11-02', 2, 1],
      ['2020-11-09', 1, 0],
    ]);
    const table = funnelTable(result);
    expect(table).toContain('trend by week of entry:');
    expect(table).toMatch(/2020-11-02\s+2\s+1\s+50\.0%/);
  });
});

describe('funnel segments (hand-computed)', () => {
  it('answers the funnel within each segment, in order', async () => {
    const result = await run({
      steps: [{ event: 'A' }, { event: 'C' }],
      segments: [
        // Users with a C: d1 and d3, both converting.
        { name: 'Saw C', event: 'C' },
        // Users with any B: the nine t users and retry; none has a C.
        { name: 'Saw B', event: 'B' },
      ],
    });
    expect(result.steps.map((s) => s.count)).toEqual([15, 2]);
    expect(result.segments.map((g) => [g.name, ...g.steps.map((s) => s.count)])).toEqual([
      ['Saw C', 2, 2],
      ['Saw B', 10, 0],
    ]);
    expect(result.segments[0]?.steps[1]?.conversionRate).toBe(1);
    expect(funnelTable(result)).toMatch(/segment Saw C:\n {2}1\. A\s+2\s+100\.0%/);
  });

  it('names a bad segment', () => {
    const bad = (segments: unknown) => () =>
      parseFunnelSpec({
        dateRange: { start: '2020-11-01', end: '2020-11-10' },
        steps: [{ event: 'A' }, { event: 'B' }],
        segments,
      });
    expect(bad([{ name: 'empty' }])).toThrow(
      'segments[0]: expected an event or at least one where condition',
    );
    expect(bad([{ name: 'x', where: [{ param: 'v', op: 'gt', value: 'big' }] }])).toThrow(
      'segments[0].where[0].value: gt: expected a number',
    );
    expect(bad(Array.from({ length: 5 }, (_v, i) => ({ name: `s${i}`, event: 'A' })))).toThrow(
      'segments: expected at most 4 segments',
    );
    expect(
      bad([
        { name: 'a', event: 'A' },
        { name: 'a', event: 'B' },
      ]),
    ).toThrow('segments[1].name: duplicate segment name');
  });
});
