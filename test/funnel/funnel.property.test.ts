import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { funnelTrendResult } from '../../src/analyses/funnel/funnelTrend.js';
import { timeToConvertResult } from '../../src/analyses/funnel/timeToConvert.js';
import { parseFunnelSpec, type FunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import {
  referenceFunnel,
  referenceTimeToConvert,
  referenceTrend,
  type RefEvent,
  type RefRow,
} from './referenceFunnel.js';

const T0 = 1604188800000000; // 2020-11-01T00:00:00Z
const MINUTE = 60_000_000;
const DAY = 86_400_000_000;
const NAMES = ['A', 'B', 'C', 'X'] as const;

const eventArb = (user: string) =>
  fc.record({
    user: fc.constant(user),
    session: fc.option(fc.constantFrom(1, 2), { freq: 8 }),
    name: fc.constantFrom(...NAMES),
    // Few distinct minutes: many ties, and gaps that land exactly on `within`/`window` limits.
    ts: fc.integer({ min: 0, max: 12 }).map((m) => T0 + m * MINUTE),
    // Mostly the first day; some on the next day and a week later (trended funnel periods).
    day: fc.constantFrom(0, 0, 0, 0, 1, 7),
    bo: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 }),
    bi: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 2 }),
    v: fc.option(fc.constantFrom<string | number>(1, 2, 2.5, 'p', 'q'), { freq: 3 }),
    platform: fc.constantFrom('WEB', 'IOS'),
    category: fc.option(fc.constantFrom('mobile', 'desktop', 'tablet'), { freq: 5 }),
  });

const USERS = 24;
const worldArb = fc.tuple(
  ...Array.from({ length: USERS }, (_v, i) =>
    fc.array(eventArb(`u${i}`), { minLength: 0, maxLength: 9 }),
  ),
);

const durationArb = fc.constantFrom('1m', '2m', '3m', '5m', '10m', '60s', '120s');
const conditionArb = fc.oneof(
  fc.constant({ param: 'v', op: 'eq', value: 'p' }),
  fc.constant({ param: 'v', op: 'eq', value: 2 }),
  fc.constant({ param: 'v', op: 'neq', value: 'q' }),
  fc.constant({ param: 'v', op: 'in', values: ['p', '1'] }),
  fc.constant({ param: 'v', op: 'gte', value: 2 }),
  fc.constant({ param: 'v', op: 'between', values: [1, 2] }),
  fc.constant({ field: 'platform', op: 'eq', value: 'WEB' }),
);
const stepArb = fc.record(
  {
    event: fc.constantFrom('A', 'B', 'C'),
    within: durationArb,
    directly: fc.boolean(),
    where: fc.oneof(
      fc.constant([]),
      fc.constant([]),
      fc.array(conditionArb, { minLength: 1, maxLength: 2 }),
    ),
  },
  { requiredKeys: ['event'] },
);
const specArb = fc
  .record(
    {
      scope: fc.constantFrom('user', 'session'),
      type: fc.constantFrom('closed', 'open'),
      window: durationArb,
      steps: fc.array(stepArb, { minLength: 2, maxLength: 4 }),
      breakdown: fc.constant('device_category'),
      breakdownLimit: fc.integer({ min: 1, max: 3 }),
      trend: fc.constantFrom({ interval: 'day' }, { interval: 'week' }),
      toStep: fc.integer({ min: 2, max: 4 }),
      exclusion: fc.record({
        event: fc.constantFrom('X', 'C'),
        i: fc.nat(3),
        len: fc.integer({ min: 1, max: 3 }),
      }),
    },
    { requiredKeys: ['steps'] },
  )
  .map(({ exclusion, toStep, ...rest }) => {
    const n = rest.steps.length;
    const spec: Record<string, unknown> = {
      dateRange: { start: '2020-11-01', end: '2020-11-08' },
      ...rest,
    };
    // Time to convert is for closed funnels only; toStep at most the last step.
    if (rest.type !== 'open' && toStep !== undefined) {
      spec.timeToConvert = { toStep: Math.min(toStep, n) };
    }
    if (exclusion) {
      const i = Math.min(exclusion.i + 1, n - 1);
      spec.exclusions = [{ event: exclusion.event, between: [i, Math.min(n, i + exclusion.len)] }];
    }
    return parseFunnelSpec(spec);
  });

type GenEvent = ReturnType<typeof eventArb> extends fc.Arbitrary<infer R> ? R : never;

const dateOf = (e: GenEvent) => `202011${String(1 + e.day).padStart(2, '0')}`;

function toRow(e: GenEvent): EventRow {
  return {
    event_date: dateOf(e),
    event_timestamp: e.ts + e.day * DAY,
    event_name: e.name,
    user_pseudo_id: e.user,
    batch_ordering_id: e.bo,
    batch_event_index: e.bi,
    platform: e.platform,
    device: { category: e.category },
    event_params: params({
      ...(e.session === null ? {} : { ga_session_id: e.session }),
      ...(e.v === null ? {} : { v: e.v }),
    }),
  };
}

function toRef(e: GenEvent): RefEvent {
  return {
    user: e.user,
    session: e.session,
    name: e.name,
    ts: e.ts + e.day * DAY,
    bo: e.bo,
    bi: e.bi,
    params: e.v === null ? {} : { v: e.v },
    fields: { platform: e.platform },
    breakdown: e.category,
    date: dateOf(e),
  };
}

const order = (a: RefRow, b: RefRow) =>
  Number(b.total) - Number(a.total) ||
  (a.grp < b.grp ? -1 : a.grp > b.grp ? 1 : 0) ||
  a.step - b.step;

async function sqlRows(
  engine: DuckdbEngine,
  spec: FunnelSpec,
  form: 'join' | 'window',
): Promise<RefRow[]> {
  const q = funnelQuery(spec, { form });
  const run = await runQuery(engine, 'funnel', q.params, { context: q.context });
  return run.rows
    .map((r) => ({
      total: r.total === true,
      grp: String(r.grp),
      step: Number(r.step),
      units: Number(r.units),
      via_previous: Number(r.via_previous),
      mean_s: r.mean_s === null ? null : Number(r.mean_s),
      median_s: r.median_s === null ? null : Number(r.median_s),
    }))
    .sort(order);
}

const round = (rows: RefRow[]) =>
  rows.map((r) => ({
    ...r,
    mean_s: r.mean_s === null ? null : Math.round(r.mean_s * 1e6) / 1e6,
    median_s: r.median_s === null ? null : Math.round(r.median_s * 1e6) / 1e6,
  }));

const RUNS = Number(process.env.FUNNEL_RUNS ?? 24);
const SPECS_PER_RUN = 6;
let cases = 0;
let ttcCases = 0;

describe('funnel SQL on DuckDB = reference (random streams)', () => {
  beforeAll(() => {
    cases = 0;
  });
  afterAll(() => {
    // RUNS files x SPECS_PER_RUN funnels x USERS units (users or sessions) each.
    expect(cases).toBeGreaterThanOrEqual(RUNS * SPECS_PER_RUN);
    // Time to convert was compared on distributions of several units, not only empty ones.
    expect(ttcCases).toBeGreaterThan(RUNS);
  });
  it(`agrees on ${RUNS} random event files x ${SPECS_PER_RUN} funnels x ${USERS} users`, async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb,
        fc.array(specArb, { minLength: SPECS_PER_RUN, maxLength: SPECS_PER_RUN }),
        async (world, specs) => {
          const events = world.flat();
          const tables: Record<string, EventRow[]> = {};
          for (const e of events) (tables[dateOf(e)] ??= []).push(toRow(e));
          const file = await createEventsDb(tables);
          const engine = await DuckdbEngine.open(file);
          try {
            for (const spec of specs) {
              const expected = round(referenceFunnel(spec, events.map(toRef)).sort(order));
              // Both forms of the step k-1 -> k search must give the reference's answer.
              for (const form of ['join', 'window'] as const) {
                const actual = round(await sqlRows(engine, spec, form));
                expect(actual, `${form} ${JSON.stringify(spec)}`).toEqual(expected);
              }
              const refEvents = events.map(toRef);
              // The spec's own time to convert (often few converters under its constraints) and
              // that of its steps' events alone, where most units convert.
              const loose = parseFunnelSpec({
                dateRange: spec.dateRange,
                scope: spec.scope,
                steps: spec.steps.map((st) => ({ event: st.event as string })),
                timeToConvert: {},
              });
              for (const s of spec.timeToConvert ? [spec, loose] : [loose]) {
                const q = funnelQuery(s);
                const run = await runQuery(engine, 'funnel_time_to_convert', q.params, {
                  context: q.context,
                });
                const toStep = s.timeToConvert?.toStep ?? s.steps.length;
                const expectedTtc = referenceTimeToConvert(s, refEvents);
                expect(timeToConvertResult(toStep, run.rows), `ttc ${JSON.stringify(s)}`).toEqual(
                  expectedTtc,
                );
                if (expectedTtc.count > 1) ttcCases += 1;
              }
              const dated = funnelQuery(spec, { withDate: true });
              const trend = await runQuery(engine, 'funnel_trend', dated.params, {
                context: dated.context,
              });
              const names = spec.steps.map((s) => s.event as string);
              const interval = spec.trend?.interval ?? 'day';
              expect(
                funnelTrendResult(names, spec.dateRange, interval, trend.rows),
                `trend ${JSON.stringify(spec)}`,
              ).toEqual(referenceTrend(spec, refEvents));
              cases += 1;
            }
          } finally {
            await engine.close();
          }
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 180_000);
});
