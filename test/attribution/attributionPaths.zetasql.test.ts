import { describe, expect, it } from 'vitest';
import { attributionQuery } from '../../src/analyses/attribution/attributionQuery.js';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { analyzeSql } from '../zetasql/analyzeSql.js';
import { ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';

useZetaSql();

// Every template branch of the conversion-paths query, rendered for BigQuery, analyzes clean.
const where = [
  { param: 'currency', op: 'eq', value: 'USD' },
  { param: 'value', op: 'between', values: [1, 2] },
  { item: 'item_category', op: 'in', values: ['a', 'b'] },
  { item: 'size', op: 'regex', value: '^x' },
  { field: 'device.category', op: 'neq', value: 'tablet' },
  { param: 'tier', op: 'in', values: [1, 2] },
];
const shapes = (['channel', 'source_medium', 'campaign'] as const).flatMap((touchpoint, i) =>
  ['none', 'ecommerce.purchase_revenue', 'param:value'].map((value, j) => ({
    touchpoint,
    value,
    where: (i + j) % 2 ? where : [],
  })),
);

describe('attribution_paths analyzes clean in ZetaSQL in every shape', () => {
  it.each(shapes.map((s) => [JSON.stringify(s), s] as const))('%s', async (_label, shape) => {
    const spec = parseAttributionSpec({
      dateRange: { start: '2020-11-01', end: '2020-11-30' },
      goal: { event: 'purchase', where: shape.where, value: shape.value },
      touchpoint: shape.touchpoint,
    });
    const rendered = renderQuery(
      'attribution_paths',
      ZETASQL_TARGET,
      attributionQuery(spec).context,
    );
    const result = await analyzeSql(rendered.sql, rendered.paramTypes);
    expect(result, rendered.sql).toMatchObject({ ok: true });
  });
});
