import { describe, expect, it } from 'vitest';
import { listQueries } from '../../src/sql/queryFiles.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
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
