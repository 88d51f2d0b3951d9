import { describe, expect, it } from 'vitest';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { analyzeSql } from '../zetasql/analyzeSql.js';
import { ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';

useZetaSql();

// Every template branch of the journey queries, rendered for BigQuery, analyzes clean in ZetaSQL.
const NODE_TYPES = ['event', 'page_path', 'page_title', 'channel'];
const cases: [string, Record<string, unknown>][] = [
  ...NODE_TYPES.flatMap((nodeType, i) =>
    (['start', 'end', 'none'] as const).map(
      (direction) =>
        [
          'paths',
          {
            nodeType,
            scope: i % 2 ? 'user' : 'session',
            direction,
            collapse: direction !== 'end',
            clean: direction !== 'none',
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
        ['next_step', { nodeType, scope: clean ? 'user' : 'session', collapse: clean, clean }] as [
          string,
          Record<string, unknown>,
        ],
    ),
  ),
  [
    'next_step',
    {
      nodeType: 'stage',
      scope: 'user',
      collapse: true,
      clean: false,
      rules: [
        { n: 1, stage: 1, hasKey: false, keyRef: '@r1_key' },
        { n: 2, stage: 2, hasKey: true, keyRef: '@r2_key' },
      ],
      rulesDesc: [
        { n: 2, stage: 2, hasKey: true, keyRef: '@r2_key' },
        { n: 1, stage: 1, hasKey: false, keyRef: '@r1_key' },
      ],
    },
  ],
  [
    'stages',
    {
      rules: [
        { n: 1, stage: 1, hasKey: false, keyRef: '@r1_key' },
        { n: 2, stage: 2, hasKey: true, keyRef: '@r2_key' },
        { n: 3, stage: 2, hasKey: false, keyRef: '@r3_key' },
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
