import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { parseFunnelSpec, type FunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { referenceFunnel, type RefEvent, type RefRow } from './referenceFunnel.js';

const T0 = 1604188800000000; // 2020-11-01T00:00:00Z
const MINUTE = 60_000_000;
const NAMES = ['A', 'B', 'C', 'X'] as const;

const eventArb = (user: string) =>
  fc.record({
    user: fc.constant(user),
    session: fc.option(fc.constantFrom(1, 2), { freq: 8 }),
    name: fc.constantFrom(...NAMES),
    // Few distinct minutes: many ties, and gaps that land exactly on `within`/`window` limits.
    ts: fc.integer({ min: 0, max: 12 }).map((m) => T0 + m * MINUTE),
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
      exclusion: fc.record({
        event: fc.constantFrom('X', 'C'),
        i: fc.nat(3),
        len: fc.integer({ min: 1, max: 3 }),
      }),
    },
    { requiredKeys: ['steps'] },
  )
  .map(({ exclusion, ...rest }) => {
    const n = rest.steps.length;
    const spec: Record<string, unknown> = {
      dateRange: { start: '2020-11-01', end: '2020-11-01' },
      ...rest,
    };
    if (exclusion) {
      const i = Math.min(exclusion.i + 1, n - 1);
      spec.exclusions = [{ event: exclusion.event, between: [i, Math.min(n, i + exclusion.len)] }];
    }
    return parseFunnelSpec(spec);
  });

type GenEvent = ReturnType<typeof eventArb> extends fc.Arbitrary<infer R> ? R : never;

function toRow(e: GenEvent): EventRow {
  return {
    event_date: '20201101',
    event_timestamp: e.ts,
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
    ts: e.ts,
    bo: e.bo,
    bi: e.bi,
    params: e.v === null ? {} : { v: e.v },
    fields: { platform: e.platform },
    breakdown: e.category,
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

describe('funnel SQL on DuckDB = reference (random streams)', () => {
  beforeAll(() => {
    cases = 0;
  });
  afterAll(() => {
    // RUNS files x SPECS_PER_RUN funnels x USERS units (users or sessions) each.
    expect(cases).toBeGreaterThanOrEqual(RUNS * SPECS_PER_RUN);
  });
  it(`agrees on ${RUNS} random event files x ${SPECS_PER_RUN} funnels x ${USERS} users`, async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb,
        fc.array(specArb, { minLength: SPECS_PER_RUN, maxLength: SPECS_PER_RUN }),
        async (world, specs) => {
          const events = world.flat();
          const file = await createEventsDb({ '20201101': events.map(toRow) });
          const engine = await DuckdbEngine.open(file);
          try {
            for (const spec of specs) {
              const expected = round(referenceFunnel(spec, events.map(toRef)).sort(order));
              // Both forms of the step k-1 -> k search must give the reference's answer.
              for (const form of ['join', 'window'] as const) {
                const actual = round(await sqlRows(engine, spec, form));
                expect(actual, `${form} ${JSON.stringify(spec)}`).toEqual(expected);
              }
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
