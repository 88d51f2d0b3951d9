import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importAdCosts, readCostFile } from '../../src/importer/costs/importAdCosts.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionQuery } from '../../src/analyses/attribution/attributionQuery.js';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { parseNextStepSpec } from '../../src/analyses/nextStep/nextStepSpec.js';
import { nextStepQuery } from '../../src/analyses/nextStep/runNextStep.js';
import { parsePathsSpec } from '../../src/analyses/paths/pathsSpec.js';
import { pathsQuery } from '../../src/analyses/paths/runPaths.js';
import { parseStageMap } from '../../src/analyses/stages/stageMap.js';
import { stagesQuery } from '../../src/analyses/stages/runStages.js';
import { parseStagesSpec } from '../../src/analyses/stages/stagesSpec.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import type { Row } from '../../src/engines/normalize.js';
import { readOfflineEventsFile } from '../../src/importer/offline/importOfflineEvents.js';
import { importOfflineEvents } from '../../src/importer/offline/importOfflineEvents.js';
import { scopeEngine, type EventScope } from '../../src/sql/eventScope.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { conditionSlots } from '../../src/sql/vocabulary/conditionSlots.js';
import { withSuffixes } from '../fixtures/randomEvents.js';
import { createEventsDb } from '../support/loadRows.js';
import { analyzeSql } from '../zetasql/analyzeSql.js';
import { evaluateSql } from '../zetasql/evaluateSql.js';
import { OFFLINE_TARGET, ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';
import { webTables, writeOfflineCsv } from './stitchedJourneys.js';

useZetaSql();

const dateRange = { start: '2020-11-01', end: '2020-11-07' };
const range = { start_date: dateRange.start, end_date: dateRange.end, include_intraday: false };
type Case = [string, Record<string, unknown>, Record<string, unknown>?];

/** Every journey query in a representative shape, with its bound values. */
function cases(): Case[] {
  const attribution = attributionQuery(
    parseAttributionSpec({ dateRange, goal: { event: 'purchase' }, lookback: '7d' }),
  );
  const funnel = funnelQuery(
    parseFunnelSpec({
      dateRange,
      steps: [{ event: 'page_view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
    }),
  );
  const paths = pathsQuery(
    parsePathsSpec({
      dateRange,
      scope: 'user',
      start: 'add_to_cart',
      steps: 3,
      nodeType: 'channel',
    }),
  );
  const next = nextStepQuery(
    parseNextStepSpec({ dateRange, nodeType: 'event', goal: { event: 'purchase' } }),
  );
  const stages = stagesQuery(
    parseStagesSpec({ dateRange }),
    parseStageMap({
      stages: [
        { name: 'Visit', rules: [{ event: 'page_view' }, { event: 'store_visit' }] },
        { name: 'Buy', rules: [{ event: 'purchase' }] },
      ],
    }),
  );
  return [
    ['attribution_paths', attribution.params, attribution.context],
    ['funnel', funnel.params, funnel.context],
    ['paths', { ...paths.params, clean_map: [], clean_sep: '|' }, paths.context],
    ['next_step', { ...next.params, clean_map: [], clean_sep: '|' }, next.context],
    ['stages', stages.params, stages.context],
    [
      'retention',
      {
        ...range,
        cohort_event: 'first_visit',
        goal_event: 'purchase',
        periods: 2,
        ...conditionSlots(10, 'retention goal').params,
      },
      { period: 'week', firstEvent: true, goalWhere: [] },
    ],
    ['sessions_by_channel', range],
    ['event_counts', range],
    ['identity_stats', range],
  ];
}

const SCOPES: [string, EventScope][] = [
  ['blended', { filters: [], identity: 'blended' }],
  ['user_id', { filters: [], identity: 'user_id' }],
  ['device', { filters: [], identity: 'device' }],
  [
    'blended with a filter and a user segment',
    {
      identity: 'blended',
      filters: [{ field: 'platform', op: 'neq', value: 'IOS' }],
      segment: { scope: 'user', event: 'add_to_cart' },
    },
  ],
];

// With an offline table, every shape below is analyzed as it is evaluated; without one (a
// BigQuery export alone), the identity forms analyze clean too.
describe('every journey query analyzes clean in ZetaSQL with identities and no offline table', () => {
  const all = cases().flatMap(([name, , context]) =>
    SCOPES.filter(([, scope]) => scope.identity !== 'device').map(
      ([label, scope]) => [`${name}: ${label}`, name, context, scope] as const,
    ),
  );
  it.each(all)('%s', async (_label, name, context, scope) => {
    const rendered = renderQuery(name, ZETASQL_TARGET, context, scope);
    const result = await analyzeSql(rendered.sql, rendered.paramTypes);
    expect(result, rendered.sql).toMatchObject({ ok: true });
  });
});

/** Floats summed in another order may differ in the last bits; compare at 9 significant digits. */
const canonical = (rows: Row[]): string[] =>
  rows
    .map((row) =>
      JSON.stringify(row, (_key, value: unknown) =>
        typeof value === 'number' ? Number(value.toPrecision(9)) : value,
      ),
    )
    .sort();

describe('DuckDB equals ZetaSQL on stitched devices and offline rows', () => {
  let engine: DuckdbEngine;
  let offline: Record<string, unknown>[];
  let costsFile: string;
  beforeAll(async () => {
    const db = await createEventsDb(webTables());
    const csv = writeOfflineCsv(dirname(db));
    await importOfflineEvents(db, [csv]);
    // The same rows as BigQuery's offline table would hold them, in the export's columns only.
    offline = readOfflineEventsFile(csv).map(({ content_key: _key, ...row }) => row);
    costsFile = join(dirname(db), 'costs.csv');
    writeFileSync(
      costsFile,
      [
        'date,utm_source,utm_medium,utm_id,utm_campaign,impressions,clicks,cost,currency',
        '2020-11-03,facebook,paid_social,fb1,retarget,1000,50,40.5,EUR',
        '2020-11-04,facebook,paid_social,fb1,retarget,500,,20,EUR',
        '2020-11-02,newsletter,email,nl1,,,,5,EUR',
        '2020-11-08,google,cpc,g1,brand,100,10,30,EUR',
      ].join('\n'),
    );
    await importAdCosts(db, costsFile);
    engine = await DuckdbEngine.open(db);
  });
  afterAll(async () => engine.close());

  const all = cases().flatMap(([name, params, context]) =>
    SCOPES.map(([label, scope]) => [`${name}: ${label}`, name, params, context, scope] as const),
  );
  it.each(all)('%s', async (_label, name, params, context, scope) => {
    const duck = await runQuery(
      scopeEngine(engine, scope),
      name,
      params,
      context ? { context } : {},
    );
    const rendered = renderQuery(name, OFFLINE_TARGET, context, scope);
    const zeta = await evaluateSql(
      rendered.sql,
      { ...params, ...rendered.scopeParams } as never,
      rendered.paramTypes,
      { events: withSuffixes(webTables()), offline },
    );
    expect(duck.rows.length, 'rows').toBeGreaterThan(0);
    expect(canonical(duck.rows)).toEqual(canonical(zeta));
  });

  it('touchpoint_costs: the cost rows in range, summed per key with their channel', async () => {
    const params = { start_date: dateRange.start, end_date: dateRange.end };
    const duck = await runQuery(engine, 'touchpoint_costs', params);
    const rendered = renderQuery('touchpoint_costs', OFFLINE_TARGET);
    const zeta = await evaluateSql(rendered.sql, params, rendered.paramTypes, {
      events: [],
      costs: readCostFile(costsFile).rows.map((r) => ({ ...r })),
    });
    expect(canonical(duck.rows)).toEqual(canonical(zeta));
    expect(canonical(duck.rows)).toEqual(
      canonical([
        {
          source: 'facebook',
          medium: 'paid_social',
          campaign: 'retarget',
          channel: 'Paid Social',
          cost: 60.5,
          clicks: 50,
          impressions: 1500,
          currency: 'EUR',
        },
        {
          source: 'newsletter',
          medium: 'email',
          campaign: '(not set)',
          channel: 'Email',
          cost: 5,
          clicks: null,
          impressions: null,
          currency: 'EUR',
        },
      ]),
    );
  });
});
