import { describe, expect, it } from 'vitest';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { analyzeSql } from '../zetasql/analyzeSql.js';
import { ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';

useZetaSql();

// Every template branch of the journey queries, rendered for BigQuery, analyzes clean in ZetaSQL.
const NODE_TYPES = ['event', 'page_path', 'page_title', 'channel'];
/** A condition's context for each kind and a spread of ops (sql/partials/condition.sql). */
const cond = (id: string, kind: string, op: string, numeric: boolean) => ({
  id,
  kind,
  item: kind === 'itemField' || kind === 'itemParam',
  keyRef: `@${id}_key`,
  fieldSql: kind === 'field' ? 'geo.country' : '',
  itemField: kind === 'itemField' ? 'item_id' : '',
  op,
  numeric,
});
const WHERE = [
  cond('c1', 'param', 'contains', false),
  cond('c2', 'itemParam', 'between', true),
  cond('c3', 'field', 'in', false),
  cond('c4', 'itemField', 'regex', false),
];
const cases: [string, Record<string, unknown>][] = [
  ...NODE_TYPES.flatMap((nodeType, i) =>
    (['start', 'end', 'between', 'none'] as const).map(
      (direction) =>
        [
          'paths',
          {
            nodeType,
            scope: i % 2 ? 'user' : 'session',
            direction,
            collapse: direction !== 'end',
            clean: direction !== 'none',
            startWhere: direction === 'start' || direction === 'between' ? WHERE.slice(0, 2) : [],
            endWhere: direction === 'end' || direction === 'between' ? WHERE.slice(2) : [],
          },
        ] as [string, Record<string, unknown>],
    ),
  ),
  ...NODE_TYPES.map(
    (nodeType) => ['paths_nodes', { nodeType }] as [string, Record<string, unknown>],
  ),
  ...NODE_TYPES.flatMap((nodeType) =>
    [true, false].map(
      (clean) =>
        [
          'next_step',
          {
            nodeType,
            scope: clean ? 'user' : 'session',
            collapse: clean,
            clean,
            goalWhere: clean ? WHERE : [],
            rules: [],
            rulesDesc: [],
          },
        ] as [string, Record<string, unknown>],
    ),
  ),
  [
    'next_step',
    {
      nodeType: 'stage',
      scope: 'user',
      collapse: true,
      clean: false,
      goalWhere: [WHERE[0]],
      rules: [
        { n: 1, stage: 1, where: [] },
        { n: 2, stage: 2, where: WHERE.slice(1) },
      ],
      rulesDesc: [
        { n: 2, stage: 2, where: WHERE.slice(1) },
        { n: 1, stage: 1, where: [] },
      ],
    },
  ],
  [
    'stages',
    {
      rules: [
        { n: 1, stage: 1, where: [] },
        { n: 2, stage: 2, where: WHERE },
        { n: 3, stage: 2, where: [] },
      ],
    },
  ],
  ['retention', { period: 'week', firstEvent: false }],
  ['retention', { period: 'month', firstEvent: true }],
];

describe('paths, next step, stages and retention analyze clean in ZetaSQL in every shape', () => {
  it.each(
    cases.map(([name, context]) => [`${name} ${JSON.stringify(context)}`, name, context] as const),
  )('%s', async (_label, name, context) => {
    const rendered = renderQuery(name, ZETASQL_TARGET, context);
    const result = await analyzeSql(rendered.sql, rendered.paramTypes);
    expect(result, rendered.sql).toMatchObject({ ok: true });
  });
});
