import { describe, expect, it } from 'vitest';
import { predictQuery, predictWindow } from '../../src/analyses/predict/predictQuery.js';
import { parsePredictSpec, type PredictSpecInput } from '../../src/analyses/predict/predictSpec.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import type { Row } from '../../src/engines/normalize.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { edgeCaseTables } from '../fixtures/edgeCases.js';
import { randomEventTables, withSuffixes } from '../fixtures/randomEvents.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';
import { evaluateSql } from '../zetasql/evaluateSql.js';
import { analyzeSql } from '../zetasql/analyzeSql.js';
import { ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';
import { referenceContexts } from './referencePredict.js';

useZetaSql();

const BASE: PredictSpecInput = {
  goal: 'purchase',
  asOf: '2020-11-03',
  horizonDays: 1,
  trainDays: 3,
  activeDays: 3,
};
const onPage = [{ param: 'page_location', op: 'contains' as const, value: 'p/1' }];
/** Each node type, and a goal with a condition, as the analysis binds them. */
const SPECS: PredictSpecInput[] = [
  BASE,
  { ...BASE, nodeType: 'page_path', goal: { event: 'page_view', where: onPage } },
  { ...BASE, nodeType: 'channel' },
  { ...BASE, nodeType: 'stage', collapseRepeats: false },
];
const canonical = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Compares every spec's two queries; answers how many rows each query gave in all. */
async function compare(tables: Record<string, EventRow[]>) {
  const seen = { predict_contexts: 0, predict_users: 0 };
  const engine = await DuckdbEngine.open(await createEventsDb(tables));
  try {
    for (const input of SPECS) {
      const spec = parsePredictSpec(input);
      const q = predictQuery(spec, predictWindow(spec, '2020-11-03'));
      for (const [name, params] of [
        ['predict_contexts', q.contexts],
        ['predict_users', q.users],
      ] as const) {
        const duck = await runQuery(engine, name, params, { context: q.context });
        const rendered = renderQuery(name, ZETASQL_TARGET, q.context);
        const zeta = await evaluateSql(rendered.sql, params as never, rendered.paramTypes, {
          events: withSuffixes(tables),
        });
        expect(canonical(duck.rows), `${name} ${spec.nodeType}`).toEqual(canonical(zeta));
        seen[name] += duck.rows.length;
        if (name === 'predict_contexts' && spec.nodeType === 'event') {
          const w = predictWindow(spec, '2020-11-03');
          const reference = referenceContexts(Object.values(tables).flat(), {
            goal: 'purchase',
            exclude: spec.exclude,
            cutoffUs: w.cutoffUs,
            trainFromUs: w.trainFromUs,
            horizonUs: w.horizonUs,
          });
          expect(canonical(duck.rows), 'reference').toEqual(canonical(reference));
        }
      }
    }
  } finally {
    await engine.close();
  }
  return seen;
}

describe('the predict queries', () => {
  it('analyze clean in ZetaSQL for every node type', async () => {
    for (const input of SPECS) {
      const spec = parsePredictSpec(input);
      const q = predictQuery(spec, predictWindow(spec, '2020-11-03'));
      for (const name of ['predict_contexts', 'predict_users']) {
        const rendered = renderQuery(name, ZETASQL_TARGET, q.context);
        expect(
          await analyzeSql(rendered.sql, rendered.paramTypes),
          `${name} ${spec.nodeType}`,
        ).toMatchObject({ ok: true });
      }
    }
  });

  it('DuckDB equals ZetaSQL, and the counts equal a reference, on the edge cases', async () => {
    await compare(edgeCaseTables());
  });

  it.each([2001, 2002, 2003])('… and on random fixture %i', async (seed) => {
    const seen = await compare(randomEventTables(seed));
    // Something to compare: positions to count and users to place.
    expect(seen.predict_contexts).toBeGreaterThan(0);
    expect(seen.predict_users).toBeGreaterThan(0);
  });
});
