import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionQuery } from '../../src/analyses/attribution/attributionQuery.js';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { parseNextStepSpec } from '../../src/analyses/nextStep/nextStepSpec.js';
import { nextStepQuery } from '../../src/analyses/nextStep/runNextStep.js';
import { parsePathsSpec } from '../../src/analyses/paths/pathsSpec.js';
import { pathsQuery } from '../../src/analyses/paths/runPaths.js';
import { parseStageMap } from '../../src/analyses/stages/stageMap.js';
import { parseStagesSpec } from '../../src/analyses/stages/stagesSpec.js';
import { stagesQuery } from '../../src/analyses/stages/runStages.js';
import { conditionSlots } from '../../src/sql/vocabulary/conditionSlots.js';
import type { Condition } from '../../src/sql/vocabulary/condition.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import type { Row } from '../../src/engines/normalize.js';
import { goalTotalsQuery, type ReportGoal } from '../../src/reports/reportGoal.js';
import { scopeEngine, type EventScope } from '../../src/sql/eventScope.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { edgeCaseTables } from '../fixtures/edgeCases.js';
import { randomEventTables, withSuffixes } from '../fixtures/randomEvents.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';
import { evaluateSql } from '../zetasql/evaluateSql.js';
import { ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';

useZetaSql();

const range = { start_date: '2020-11-01', end_date: '2020-11-04' };
/** Conversion paths in each touchpoint kind and value source; a 1-day lookback reads 2020-11-01 too. */
const attribution = (touchpoint: string, value: string, where: unknown[] = []) => {
  const q = attributionQuery(
    parseAttributionSpec({
      dateRange: { start: '2020-11-02', end: '2020-11-04' },
      includeIntraday: true,
      goal: { event: 'purchase', where, value },
      lookback: '1d',
      touchpoint,
    }),
  );
  return ['attribution_paths', q.params, q.context] as [string, Record<string, unknown>, Record<string, unknown>];
};

/** Retention of a purchase goal with conditions, all of them in the shared condition slots. */
const retention = (where: Condition[]): [string, Record<string, unknown>, Record<string, unknown>] => {
  const slots = conditionSlots(10, 'retention goal');
  const goalWhere = where.map((c, k) => slots.add(c, `goalWhere[${k}]`));
  return [
    'retention',
    { ...range, include_intraday: true, cohort_event: 'session_start', goal_event: 'purchase', periods: 3, ...slots.params },
    { period: 'week', firstEvent: false, goalWhere },
  ];
};

/** A report's totals of a goal, optionally within a report scope (filters, a segment). */
const totals = (
  name: string,
  includeIntraday: boolean,
  goal: ReportGoal,
  scope?: EventScope,
): [string, Record<string, unknown>, Record<string, unknown>, EventScope?] => {
  const q = goalTotalsQuery(goal);
  const params = { ...range, include_intraday: includeIntraday, ...q.params };
  return scope ? [name, params, q.context, scope] : [name, params, q.context];
};

/** The foundation's queries and the parameters (and template context, report scope) each is checked with. */
const CASES: [string, Record<string, unknown>, Record<string, unknown>?, EventScope?][] = [
  ['event_counts', { ...range, include_intraday: true }],
  ['event_counts', { ...range, include_intraday: false }],
  ['event_param_values', { ...range, include_intraday: true, top_values: 3 }],
  totals('daily_totals', true, { name: 'p', event: 'purchase', where: [] }),
  totals('range_totals', true, { name: 'p', event: 'purchase', where: [] }),
  totals('range_totals', false, { name: 'p', event: 'purchase', where: [] }),
  // A goal with conditions and each value source; then a report's filters and a segment.
  totals('daily_totals', true, { name: 'p', event: 'purchase', where: [{ param: 'currency', op: 'eq', value: 'USD' }], value: 'param:value' }),
  totals('range_totals', true, { name: 'p', event: 'purchase', where: [{ item: 'item_category', op: 'neq', value: 'x' }], value: 'ecommerce.purchase_revenue' }),
  totals('range_totals', true, { name: 'p', event: 'purchase', where: [], value: 'none' }),
  totals('range_totals', true, { name: 'p', event: 'purchase', where: [] }, {
    filters: [{ field: 'device.category', op: 'neq', value: 'tablet' }],
    segment: { scope: 'session', event: 'page_view', where: [{ param: 'page_location', op: 'contains', value: 'p/1' }] },
  }),
  totals('daily_totals', true, { name: 'p', event: 'purchase', where: [] }, {
    filters: [{ param: 'page_location', op: 'starts_with', value: 'https' }],
    segment: { scope: 'user', event: 'add_to_cart' },
  }),
  ['sessions_by_channel', { ...range, include_intraday: true }],
  attribution('channel', 'ecommerce.purchase_revenue'),
  attribution('source_medium', 'param:value', [{ field: 'device.category', op: 'neq', value: 'tablet' }]),
  attribution('campaign', 'none'),
  // The journey queries in their header's shape (paths between a start with a condition and an
  // end; next step to a goal with a condition; stages with a rule condition), values bound as the
  // analyses bind them.
  ['paths', { ...journeyParams().paths, clean_map: [], clean_sep: '|' }],
  ['next_step', { ...journeyParams().next, clean_map: [], clean_sep: '|' }],
  ['stages', journeyParams().stages],
  retention([]),
  retention([{ param: 'currency', op: 'eq', value: 'USD' }]),
];

function journeyParams() {
  const dateRange = { start: '2020-11-01', end: '2020-11-04' };
  const onPage = [{ param: 'page_location', op: 'contains', value: 'p/1' }];
  return {
    paths: pathsQuery(
      parsePathsSpec({ dateRange, includeIntraday: true, start: { event: 'page_view', where: onPage }, end: 'purchase', steps: 4, topK: 2 }),
    ).params,
    next: nextStepQuery(
      parseNextStepSpec({ dateRange, includeIntraday: true, nodeType: 'event', goal: { event: 'page_view', where: onPage } }),
    ).params,
    stages: stagesQuery(
      parseStagesSpec({ dateRange, includeIntraday: true }),
      parseStageMap({ stages: [{ name: 'A', rules: [{ event: 'session_start' }] }, { name: 'B', rules: [{ event: 'page_view', where: onPage }] }] }),
    ).params,
  };
}

/** Floats summed in another order may differ in the last bits; compare at 9 significant digits. */
const canonical = (rows: Row[]): string[] =>
  rows
    .map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(9)) : value)))
    .sort();

async function compare(tables: Record<string, EventRow[]>): Promise<void> {
  const engine = await DuckdbEngine.open(await createEventsDb(tables));
  try {
    for (const [name, params, context, scope] of CASES) {
      const duck = await runQuery(scope ? scopeEngine(engine, scope) : engine, name, params, context ? { context } : {});
      const rendered = renderQuery(name, ZETASQL_TARGET, context, scope);
      const bound = { ...params, ...rendered.scopeParams };
      const zeta = await evaluateSql(rendered.sql, bound as never, rendered.paramTypes, { events: withSuffixes(tables) });
      expect(canonical(duck.rows), `${name} ${JSON.stringify(params)}`).toEqual(canonical(zeta));
    }
  } finally {
    await engine.close();
  }
}

describe('DuckDB equals ZetaSQL (BigQuery semantics) on the same rows', () => {
  it('on the hand-written edge cases', async () => {
    await compare(edgeCaseTables());
  });

  const seeds = Array.from({ length: 50 }, (_, i) => 1000 + i);
  it.each(seeds)('on random fixture %i', async (seed) => {
    await compare(randomEventTables(seed));
  });
});

describe('a day re-exported', () => {
  let before: Record<string, EventRow[]>;
  beforeAll(() => {
    before = randomEventTables(7);
  });
  afterAll(() => undefined);

  it('gives the new day’s numbers on both engines once the table is replaced', async () => {
    const rewritten = { ...before, '20201102': randomEventTables(8)['20201102'] ?? [] };
    await compare(rewritten);
  });
});
