import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { funnelTrendResult } from '../../src/analyses/funnel/funnelTrend.js';
import { nextActionQuery, nextActionsResult } from '../../src/analyses/funnel/nextActions.js';
import { timeToConvertResult } from '../../src/analyses/funnel/timeToConvert.js';
import { parseFunnelSpec, type FunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import type { Row } from '../../src/engines/normalize.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';
import { USERS, dateOf, specArb, toRef, toRow, worldArb } from './funnelArbitraries.js';
import {
  referenceFunnel,
  referenceNextActions,
  referenceTimeToConvert,
  referenceTrend,
  segmentEvents,
  type RefRow,
} from './referenceFunnel.js';

const order = (a: RefRow, b: RefRow) =>
  Number(b.total) - Number(a.total) ||
  (a.grp < b.grp ? -1 : a.grp > b.grp ? 1 : 0) ||
  a.step - b.step;

const refRowOf = (r: Row): RefRow => ({
  total: r.total === true,
  grp: String(r.grp),
  step: Number(r.step),
  units: Number(r.units),
  via_previous: Number(r.via_previous),
  mean_s: r.mean_s === null ? null : Number(r.mean_s),
  median_s: r.median_s === null ? null : Number(r.median_s),
});

async function sqlRows(
  engine: DuckdbEngine,
  spec: FunnelSpec,
  form: 'join' | 'window' | 'firstMatch',
): Promise<RefRow[]> {
  const q = funnelQuery(spec, form === 'firstMatch' ? { firstMatch: true } : { form });
  if (form === 'firstMatch') expect(q.context.firstMatch, JSON.stringify(spec)).toBe(true);
  const run = await runQuery(engine, 'funnel', q.params, { context: q.context });
  // The generated batch fields always fit the first-match form's packed order key.
  if (form === 'firstMatch') expect(run.rows.every((r) => r.exact_keys === true)).toBe(true);
  return run.rows.map(refRowOf).sort(order);
}

/**
 * The spec with only what the first-match form allows: closed, no window, no within, no
 * directly, no exclusions (conditions, breakdown, scope and segments kept); undefined when a
 * step repeats the previous step's event (one event could serve both: the general form's case).
 */
function firstMatchSpec(spec: FunnelSpec): FunnelSpec | undefined {
  const plain = parseFunnelSpec({
    ...spec,
    type: 'closed',
    window: undefined,
    exclusions: undefined,
    steps: spec.steps.map(({ within: _w, directly: _d, ...step }) => step),
  });
  const q = funnelQuery(plain, { firstMatch: true });
  return q.context.firstMatch === true ? plain : undefined;
}

const round = (rows: RefRow[]) =>
  rows.map((r) => ({
    ...r,
    mean_s: r.mean_s === null ? null : Math.round(r.mean_s * 1e6) / 1e6,
    median_s: r.median_s === null ? null : Math.round(r.median_s * 1e6) / 1e6,
  }));

// 12 event files x 6 funnels, each funnel compared in up to 9 forms (join, window, first match
// and its segment, segment, time to convert twice, next actions, trend): over 500 comparisons on
// streams built for ties and exact window edges. With this seed every kind of case counted below
// comes out well past its floor (first match 23 > 12, time to convert 29, segments 58, next
// actions by event 39, by page 33, beyond the top N 44); the seed is fixed so those floors hold on
// every run. FUNNEL_SEED and FUNNEL_RUNS explore further.
const RUNS = Number(process.env.FUNNEL_RUNS ?? 12);
const SEED = Number(process.env.FUNNEL_SEED ?? 7);
const SPECS_PER_RUN = 6;
let cases = 0;
let ttcCases = 0;
let segmentCases = 0;
let firstMatchCases = 0;
const nextCases = { event: 0, page: 0, other: 0 };

describe('funnel SQL on DuckDB = reference (random streams)', () => {
  beforeAll(() => {
    cases = 0;
  });
  afterAll(() => {
    // RUNS files x SPECS_PER_RUN funnels x USERS units (users or sessions) each.
    expect(cases).toBeGreaterThanOrEqual(RUNS * SPECS_PER_RUN);
    // Time to convert was compared on distributions of several units, not only empty ones.
    expect(ttcCases).toBeGreaterThan(RUNS);
    expect(segmentCases).toBeGreaterThan(RUNS);
    expect(firstMatchCases).toBeGreaterThan(RUNS);
    // Next actions were compared by event and by page, with values beyond the top N.
    expect(nextCases.event).toBeGreaterThan(RUNS);
    expect(nextCases.page).toBeGreaterThan(RUNS);
    expect(nextCases.other).toBeGreaterThan(RUNS / 2);
  });
  it(
    `agrees on ${RUNS} random event files x ${SPECS_PER_RUN} funnels x ${USERS} users`,
    async () => {
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
                // The first-match form (DuckDB's fast path) on the same funnel without what it
                // cannot take.
                const plain = firstMatchSpec(spec);
                if (plain) {
                  const ref = round(referenceFunnel(plain, events.map(toRef)).sort(order));
                  const actual = round(await sqlRows(engine, plain, 'firstMatch'));
                  expect(actual, `firstMatch ${JSON.stringify(plain)}`).toEqual(ref);
                  if (plain.segments?.length) {
                    const q = funnelQuery(plain, { segment: 0, firstMatch: true });
                    const run = await runQuery(engine, 'funnel', q.params, { context: q.context });
                    expect(round(run.rows.map(refRowOf).sort(order))).toEqual(
                      round(
                        referenceFunnel(plain, segmentEvents(plain, 0, events.map(toRef))).sort(
                          order,
                        ),
                      ),
                    );
                  }
                  firstMatchCases += 1;
                }
                const refEvents = events.map(toRef);
                if (spec.segments?.length) {
                  const q = funnelQuery(spec, { segment: 0 });
                  const run = await runQuery(engine, 'funnel', q.params, { context: q.context });
                  const actual = round(run.rows.map(refRowOf).sort(order));
                  const expected = round(
                    referenceFunnel(spec, segmentEvents(spec, 0, refEvents)).sort(order),
                  );
                  expect(actual, `segment ${JSON.stringify(spec)}`).toEqual(expected);
                  segmentCases += 1;
                }
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
                // Next actions, by the spec's choice (by event, top 5 when it has none); both forms
                // of the chain in turn.
                const nextSpec = {
                  ...spec,
                  nextAction: spec.nextAction ?? { by: 'event', top: 5 },
                };
                const nq = nextActionQuery(nextSpec, { form: cases % 2 ? 'window' : 'join' });
                const next = await runQuery(engine, 'funnel_next_action', nq.params, {
                  context: nq.context,
                });
                const expectedNext = referenceNextActions(nextSpec, refEvents);
                expect(
                  nextActionsResult(spec.steps.length, next.rows),
                  `next ${JSON.stringify(nextSpec)}`,
                ).toEqual(expectedNext);
                nextCases[nextSpec.nextAction.by] += 1;
                if (expectedNext.some((step) => step.some((a) => a.value === '(other)'))) {
                  nextCases.other += 1;
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
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      // FUNNEL_RUNS=84 checks 504 funnels; up to 20 s a file on a loaded 2-core machine.
    },
    Math.max(180_000, RUNS * 30_000),
  );
});
