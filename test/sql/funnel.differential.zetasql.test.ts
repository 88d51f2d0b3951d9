import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { parseFunnelSpec, type FunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { nextActionQuery } from '../../src/analyses/funnel/nextActions.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import type { Row } from '../../src/engines/normalize.js';
import { resolveParams } from '../../src/sql/paramValues.js';
import { loadQuery } from '../../src/sql/queryFiles.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { withSuffixes } from '../fixtures/randomEvents.js';
import { dateOf, specArb, toRow, worldArb } from '../funnel/funnelArbitraries.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';
import { evaluateSql } from '../zetasql/evaluateSql.js';
import { ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';

useZetaSql();

/** Floats summed in another order may differ in the last bits; compare at 9 significant digits. */
const canonical = (rows: Row[]): string[] =>
  rows
    .map((row) =>
      JSON.stringify(row, (_key, value: unknown) =>
        typeof value === 'number' ? Number(value.toPrecision(9)) : value,
      ),
    )
    .sort();

/** The funnel queries a spec runs, each with its template context and parameters. */
function queriesOf(spec: FunnelSpec): [string, ReturnType<typeof funnelQuery>][] {
  const out: [string, ReturnType<typeof funnelQuery>][] = [
    ['funnel', funnelQuery(spec)],
    ['funnel', funnelQuery(spec, { form: 'window' })],
    ['funnel_trend', funnelQuery(spec, { withDate: true })],
  ];
  if (spec.timeToConvert) out.push(['funnel_time_to_convert', funnelQuery(spec)]);
  if (spec.segments?.length) out.push(['funnel', funnelQuery(spec, { segment: 0 })]);
  // Next actions by event and by page (the fixtures' page_views carry page_location).
  const top = spec.nextAction?.top ?? 5;
  for (const by of ['event', 'page'] as const) {
    out.push(['funnel_next_action', nextActionQuery({ ...spec, nextAction: { by, top } })]);
  }
  return out;
}

// The property tests' random fixtures (ties, window edges, sessions, several days), seeded.
const FIXTURES = 8;
const SPECS = 4;

describe('funnel queries: DuckDB equals ZetaSQL (BigQuery semantics) on the same rows', () => {
  const seeds = Array.from({ length: FIXTURES }, (_v, i) => 900 + i);
  it.each(seeds)('on random funnel fixture %i', async (seed) => {
    const [world] = fc.sample(worldArb, { seed, numRuns: 1 });
    const specs = [
      ...fc.sample(specArb, { seed: seed + 1, numRuns: SPECS }),
      // A step's event again two steps later: chains carry the events of a key they used.
      parseFunnelSpec({
        dateRange: { start: '2020-11-01', end: '2020-11-08' },
        window: '10m',
        steps: [
          { event: 'A' },
          { event: 'B', within: '5m' },
          { event: 'A', directly: seed % 2 === 1 },
        ],
      }),
    ];
    const tables: Record<string, EventRow[]> = {};
    for (const e of (world ?? []).flat()) (tables[dateOf(e)] ??= []).push(toRow(e));
    const engine = await DuckdbEngine.open(await createEventsDb(tables));
    let nonEmpty = 0;
    let nextRows = 0;
    try {
      for (const spec of specs) {
        for (const [name, q] of queriesOf(spec)) {
          const duck = await runQuery(engine, name, q.params, { context: q.context });
          const rendered = renderQuery(name, ZETASQL_TARGET, q.context);
          const bound = resolveParams(loadQuery(name), q.params);
          const zeta = await evaluateSql(rendered.sql, bound, rendered.paramTypes, {
            events: withSuffixes(tables),
          });
          expect(canonical(duck.rows), `${name} ${JSON.stringify(spec)}`).toEqual(canonical(zeta));
          if (duck.rows.length > 0) nonEmpty += 1;
          if (name === 'funnel_next_action' && duck.rows.length > 1) nextRows += 1;
        }
      }
      // DuckDB's first-match form of a funnel without windows against the general form on ZetaSQL.
      const plain = parseFunnelSpec({
        dateRange: { start: '2020-11-01', end: '2020-11-08' },
        scope: seed % 2 === 0 ? 'user' : 'session',
        breakdown: 'device_category',
        steps: [
          { event: 'A' },
          { event: 'B', where: [{ param: 'v', op: 'neq', value: 'q' }] },
          { event: 'C' },
        ],
      });
      const fast = funnelQuery(plain, { firstMatch: true });
      expect(fast.context.firstMatch).toBe(true);
      const duck = await runQuery(engine, 'funnel', fast.params, { context: fast.context });
      expect(duck.rows.every((r) => r.exact_keys === true)).toBe(true);
      const general = funnelQuery(plain);
      const rendered = renderQuery('funnel', ZETASQL_TARGET, general.context);
      const zeta = await evaluateSql(
        rendered.sql,
        resolveParams(loadQuery('funnel'), general.params),
        rendered.paramTypes,
        { events: withSuffixes(tables) },
      );
      expect(canonical(duck.rows.map(({ exact_keys: _k, ...r }) => r))).toEqual(canonical(zeta));
    } finally {
      await engine.close();
    }
    // The comparison saw real answers, not only empty result sets.
    expect(nonEmpty).toBeGreaterThan(SPECS);
    // Half the next-action queries (by event and by page per spec) had more than one value.
    expect(nextRows).toBeGreaterThanOrEqual(SPECS);
  }, 120_000);
});
