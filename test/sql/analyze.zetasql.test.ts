import { describe, expect, it } from 'vitest';
import { listQueries } from '../../src/sql/queryFiles.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
import type { EventScope } from '../../src/sql/eventScope.js';
import { analyzeSql } from '../zetasql/analyzeSql.js';
import { ZETASQL_TARGET } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';

useZetaSql();

describe('every query in sql/, rendered for BigQuery, analyzes clean in ZetaSQL', () => {
  it.each(listQueries().map((q) => [q.name, q] as const))('%s', async (_name, query) => {
    const rendered = renderQuery(query, ZETASQL_TARGET);
    const result = await analyzeSql(rendered.sql, rendered.paramTypes);
    expect(result, rendered.sql).toMatchObject({ ok: true });
  });

  it('fails a query that stops analyzing, with its line and column', async () => {
    const rendered = renderQuery('event_counts', ZETASQL_TARGET);
    const broken = rendered.sql.replace('COUNT(DISTINCT user_pseudo_id)', 'COUNT(DISTINCT user_pseudo)');
    const result = await analyzeSql(broken, rendered.paramTypes);
    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).toMatch(/user_pseudo/);
  });
});

// A report's filters and segment narrow `{{events}}`: every kind of condition, and a session segment.
const SCOPE: EventScope = {
  filters: [
    { field: 'device.category', op: 'eq', value: 'mobile' },
    { param: 'page_location', op: 'contains', value: '/shop' },
    { item: 'item_category', op: 'in', values: ['Shoes', 'Bags'] },
    { param: 'value', op: 'between', values: [1, 500] },
  ],
  segment: {
    scope: 'session',
    event: 'add_to_cart',
    where: [{ item: 'coupon', op: 'neq', value: 'NONE' }],
  },
};

describe('every query reading events, rendered for BigQuery with a report scope, analyzes clean', () => {
  const reading = listQueries().filter((q) => renderQuery(q, ZETASQL_TARGET, undefined, SCOPE).scopeParams.f1_s !== undefined);

  it('covers every query that reads the events table', () => {
    expect(reading.map((q) => q.name)).toEqual(
      listQueries()
        .filter((q) => renderQuery(q, ZETASQL_TARGET).sql.includes('events_*'))
        .map((q) => q.name),
    );
    expect(reading.length).toBeGreaterThan(10);
  });

  it.each(reading.map((q) => [q.name, q] as const))('%s', async (_name, query) => {
    const rendered = renderQuery(query, ZETASQL_TARGET, undefined, SCOPE);
    expect(rendered.sql).toContain('@f4_n2');
    expect(rendered.sql).toContain('@scope_event');
    const result = await analyzeSql(rendered.sql, rendered.paramTypes);
    expect(result, rendered.sql).toMatchObject({ ok: true });
  });
});
