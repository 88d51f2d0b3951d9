import { describe, expect, it } from 'vitest';
import { parseMapSpec } from '../../src/analyses/map/mapSpec.js';
import { mapQuery } from '../../src/analyses/map/runMap.js';
import { parsePersona, type PersonaInput } from '../../src/analyses/personas/personaSpec.js';
import { DEFAULT_STAGE_MAP, parseStageMap } from '../../src/analyses/stages/stageMap.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import type { Row } from '../../src/engines/normalize.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { edgeCaseTables } from '../fixtures/edgeCases.js';
import { randomEventTables, withSuffixes } from '../fixtures/randomEvents.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';
import { analyzeSql } from '../zetasql/analyzeSql.js';
import { evaluateSql } from '../zetasql/evaluateSql.js';
import { ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';
import { MAP_ROWS } from './mapFixture.js';

useZetaSql();

/** Four personas using every kind of condition between them. */
const PERSONAS: PersonaInput[] = [
  {
    name: 'Mobile',
    device: { category: ['mobile'] },
    firstTouch: { channel: ['Direct', 'Organic Search', 'Unassigned'] },
  },
  {
    name: 'Engaged',
    behaviour: { did: [{ event: 'page_view', atLeast: 2 }], reachedStage: 'Consideration' },
    geo: { country: ['Germany', 'United States'] },
  },
  { name: 'Buyers', behaviour: { converted: 'purchase', valueOver: { value: 10 } } },
  {
    name: 'Pro',
    userProperties: [
      { key: 'plan', op: 'in', values: ['pro', 'team'] },
      { key: 'seats', op: 'gte', value: 2 },
      { key: 'region', op: 'contains', value: 'eu' },
    ],
  },
];

const query = () => {
  const personas = PERSONAS.map((p) => parsePersona(p));
  const spec = parseMapSpec({
    dateRange: { start: '2020-11-01', end: '2020-11-04' },
    includeIntraday: true,
    goal: 'purchase',
    goalWhere: [{ param: 'value', op: 'gt', value: 0 }],
    minSupport: 1,
  });
  return mapQuery(spec, parseStageMap(DEFAULT_STAGE_MAP), personas);
};

const canonical = (rows: Row[]): string[] =>
  rows
    .map((row) =>
      JSON.stringify(row, (_key, value: unknown) =>
        typeof value === 'number' ? Number(value.toPrecision(9)) : value,
      ),
    )
    .sort();

async function compare(tables: Record<string, EventRow[]>): Promise<number> {
  const q = query();
  const engine = await DuckdbEngine.open(await createEventsDb(tables));
  try {
    const duck = await runQuery(engine, 'journey_map', q.params, { context: q.context });
    const rendered = renderQuery('journey_map', ZETASQL_TARGET, q.context);
    const zeta = await evaluateSql(rendered.sql, q.params as never, rendered.paramTypes, {
      events: withSuffixes(tables),
    });
    expect(canonical(duck.rows)).toEqual(canonical(zeta));
    return duck.rows.length;
  } finally {
    await engine.close();
  }
}

describe('sql/journey_map.sql', () => {
  it('analyzes clean in ZetaSQL with four personas using every condition kind and a goal condition', async () => {
    const q = query();
    const rendered = renderQuery('journey_map', ZETASQL_TARGET, q.context);
    expect(await analyzeSql(rendered.sql, rendered.paramTypes)).toMatchObject({ ok: true });
  });

  it('gives the same rows on DuckDB and ZetaSQL on the edge cases and the hand-worked rows', async () => {
    expect(await compare(edgeCaseTables())).toBeGreaterThan(10);
    expect(await compare({ '20201101': MAP_ROWS })).toBeGreaterThan(10);
  });

  it.each([11, 12, 13])(
    'gives the same rows on DuckDB and ZetaSQL on random fixture %i',
    async (seed) => {
      expect(await compare(randomEventTables(seed))).toBeGreaterThan(5);
    },
  );
});
