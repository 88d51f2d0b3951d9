import { describe, expect, it } from 'vitest';
import { attributionQuery } from '../../src/analyses/attribution/attributionQuery.js';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { resolveGoalSteps } from '../../src/analyses/goals/goal.js';
import { parseNextStepSpec } from '../../src/analyses/nextStep/nextStepSpec.js';
import { nextStepQuery } from '../../src/analyses/nextStep/runNextStep.js';
import { parsePathsSpec } from '../../src/analyses/paths/pathsSpec.js';
import { pathsQuery } from '../../src/analyses/paths/runPaths.js';
import { stagesQuery } from '../../src/analyses/stages/runStages.js';
import { DEFAULT_STAGE_MAP, parseStageMap } from '../../src/analyses/stages/stageMap.js';
import { parseStagesSpec } from '../../src/analyses/stages/stagesSpec.js';
import { EXAMPLE_BIGQUERY, pasteableSql } from '../../src/sql/pasteableSql.js';
import { analyzeSql } from '../zetasql/analyzeSql.js';
import { useZetaSql } from '../zetasql/useZetaSql.js';

useZetaSql();

const dateRange = { start: '2024-03-01', end: '2024-03-02' };
const noCleaning = { clean_map: [], clean_sep: '|' };
const goals = new Map([
  [
    'USD purchase',
    {
      name: 'USD purchase',
      event: 'purchase',
      where: [{ param: 'currency', op: 'eq' as const, value: 'USD' }],
      value: 'none',
    },
  ],
]);

describe('a query rendered to paste into BigQuery', () => {
  const paths = pathsQuery(
    parsePathsSpec({ dateRange, start: { goal: 'USD purchase' }, steps: 4 }),
    goals,
  );
  const cases = {
    paths: { params: { ...paths.params, ...noCleaning }, context: paths.context },
    attribution_paths: attributionQuery(
      parseAttributionSpec({ dateRange, goal: { event: 'purchase' } }),
    ),
    next_step: (() => {
      const q = nextStepQuery(parseNextStepSpec({ dateRange, goal: 'purchase' }), goals);
      return { params: { ...q.params, ...noCleaning }, context: q.context };
    })(),
    stages: stagesQuery(parseStagesSpec({ dateRange }), parseStageMap(DEFAULT_STAGE_MAP)),
    // The funnel page's Show SQL: the general form BigQuery runs, a saved goal as a step.
    funnel: funnelQuery(
      resolveGoalSteps(
        parseFunnelSpec({
          dateRange,
          steps: [{ event: 'page_view' }, { goal: 'USD purchase' }],
          breakdown: 'device_category',
        }),
        goals,
      ),
    ),
  };

  it('writes the values in, so nothing is left to bind', () => {
    const sql = pasteableSql('paths', cases.paths, EXAMPLE_BIGQUERY);
    expect(sql).toContain('`your-project.analytics_123456789.events_*`');
    expect(sql).toContain("FORMAT_DATE('%Y%m%d', DATE '2024-03-01')");
    // The goal's condition is a value in the text: the currency the goal asks for.
    expect(sql).toContain("'USD'");
    // No parameter marker left outside the comments that explain them.
    expect(sql.replace(/--[^\n]*/g, '')).not.toMatch(/(?<![@\w])@[a-z]\w*/);
  });

  for (const [name, query] of Object.entries(cases))
    it(`analyzes clean under ZetaSQL: ${name}`, async () => {
      const sql = pasteableSql(name, query, EXAMPLE_BIGQUERY);
      const analyzed = await analyzeSql(sql, {}, EXAMPLE_BIGQUERY as never);
      expect(analyzed.ok ? 'ok' : analyzed).toBe('ok');
    });

  it('reads the events as the run did: blended identity joins devices to their user', async () => {
    const device = pasteableSql('funnel', cases.funnel, EXAMPLE_BIGQUERY);
    const blended = pasteableSql('funnel', cases.funnel, EXAMPLE_BIGQUERY, {
      filters: [],
      identity: 'blended',
    });
    // A device seen signed in takes its user's id, spelled u:<user_id>; without identity, no join.
    expect(device).not.toContain("CONCAT('u:', d.resolved_user_id)");
    expect(blended).toContain("CONCAT('u:', d.resolved_user_id)");
    expect(blended.replace(/--[^\n]*/g, '')).not.toMatch(/(?<![@\w])@[a-z]\w*/);
    const analyzed = await analyzeSql(blended, {}, EXAMPLE_BIGQUERY as never);
    expect(analyzed.ok ? 'ok' : analyzed).toBe('ok');
  });

  it('carries a filter of the scope as a value in the text', () => {
    const sql = pasteableSql('funnel', cases.funnel, EXAMPLE_BIGQUERY, {
      filters: [{ param: 'page_location', op: 'contains', value: '/shop/' }],
    });
    expect(sql).toContain("'/shop/'");
    expect(sql.replace(/--[^\n]*/g, '')).not.toMatch(/(?<![@\w])@[a-z]\w*/);
  });
});
