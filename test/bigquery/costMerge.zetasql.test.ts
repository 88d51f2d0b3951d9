import { describe, expect, it } from 'vitest';
import { costMergeSql, costTableDdl } from '../../src/importer/costs/loadAdCostsBigquery.js';
import { analyzeStatement } from '../zetasql/analyzeSql.js';
import { costsTablePath } from '../zetasql/ga4Catalog.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';

useZetaSql();

// The catalog's costs table stands in for both sides of the merge: the staging table has its
// schema, so names and types are checked as BigQuery would check them.
const costs = costsTablePath();

describe('the BigQuery cost load statements analyze under ZetaSQL', () => {
  it('creates the costs table', async () => {
    expect(
      await analyzeStatement(costTableDdl('test-project.analytics_123456.ad_costs_new')),
    ).toEqual({
      ok: true,
      kind: 'resolvedCreateTableStmtNode',
    });
  });

  it('merges the staged rows on day and key', async () => {
    expect(await analyzeStatement(costMergeSql(costs, costs))).toEqual({
      ok: true,
      kind: 'resolvedMergeStmtNode',
    });
  });

  it('fails a merge whose columns do not match the table', async () => {
    const broken = costMergeSql(costs, costs).replace('cost = s.cost', 'cost = s.utm_source');
    expect(await analyzeStatement(broken)).toMatchObject({ ok: false });
  });
});
