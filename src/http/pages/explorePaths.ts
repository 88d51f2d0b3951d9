import { bigquerySql } from './bigquerySql.js';
import { parsePathsSpec } from '../../analyses/paths/pathsSpec.js';
import { pathsQuery, runPaths } from '../../analyses/paths/runPaths.js';
import { sankeyOption } from '../../render/sankeyChart.js';
import { readPicked } from './exploreForm.js';
import {
  countOf,
  exploreHref,
  pct,
  rangeWords,
  type ExploreInput,
  type ExploreResult,
} from './exploreResult.js';

const withoutCleaning = (q: ReturnType<typeof pathsQuery>) => ({
  context: q.context,
  params: { ...q.params, clean_map: [], clean_sep: '|' },
});

/** The chart's name for a step's node (labels repeat across steps); see render/sankeyChart. */
const chartNode = (step: number, label: string) => `${step}\u2009·\u2009${label}`;

/**
 * Paths as a Sankey with its nodes and flows as tables. Each named node links to the same paths
 * started at it (the chart's click does the same), which is how a node is focused.
 */
export async function explorePaths({
  deps,
  form,
  goals,
  run,
}: ExploreInput): Promise<ExploreResult> {
  const picked = readPicked(form.pathsStart);
  const start =
    picked === null ? null : picked.kind === 'goal' ? { goal: picked.name } : picked.name;
  const spec = parsePathsSpec({
    dateRange: { start: form.from, end: form.to },
    identity: form.identity,
    scope: form.pathsScope,
    nodeType: 'event',
    start,
    steps: Number(form.pathsSteps),
  });
  const result = await runPaths(deps.engine, spec, { goals, ...run });
  const from = picked
    ? ` starting at ${picked.kind === 'goal' ? `goal ${picked.name}` : picked.name}`
    : '';
  const nodes = result.steps.flatMap((step) =>
    step.nodes.map((n) => ({
      step: step.index,
      node: n.node,
      kind: n.kind,
      count: n.count,
      share: pct(step.journeys ? n.count / step.journeys : 0),
      chartNode: chartNode(step.index, n.node),
      focus: n.kind === 'node' ? exploreHref(form, { pathsStart: `event:${n.node}` }) : '',
    })),
  );
  const flows = result.edges
    .filter((e) => e.count > 0)
    .map((e) => ({ ...e, next: e.step + 1 }))
    .sort((a, b) => a.step - b.step || b.count - a.count);
  return {
    summary: `${countOf(result.journeys, result.unit)}${from} ${rangeWords(form)}, followed for ${spec.steps} steps.`,
    ...(result.journeys === 0
      ? { empty: `No ${result.unit}${from} ${rangeWords(form)}: there are no paths to draw.` }
      : {}),
    charts: { sankey: sankeyOption({ ...result, channels: false }) },
    // No cleaning rules here, so no cleaning map: the query as the page ran it.
    sql: bigquerySql(deps, 'paths', withoutCleaning(pathsQuery(spec, goals)), spec.identity),
    paths: { unit: result.unit, nodes, flows },
    report: {
      title: 'Journeys',
      goal: picked ?? { kind: 'event', name: 'purchase' },
      section: {
        type: 'journey_sankey',
        // The editor's JSON box: its controls show these values and keep what they do not edit.
        more: JSON.stringify({
          paths: {
            ...(spec.identity === 'blended' ? {} : { identity: spec.identity }),
            scope: spec.scope,
            nodeType: 'event',
            steps: Math.min(6, spec.steps),
            ...(start === null ? {} : { start }),
          },
        }),
      },
    },
  };
}
