import { parseWith } from '../../errors/parseWith.js';
import { pathsSpecSchema } from '../../analyses/paths/pathsSpec.js';
import { runPaths } from '../../analyses/paths/runPaths.js';
import { labelOrder, sankeyChart, sankeyNodeColor } from '../../render/sankeyChart.js';
import type { SectionBuilder } from './sectionInput.js';

export interface JourneySankeyContext {
  readonly unit: string;
  readonly journeys: string;
  readonly startLabel: string;
  readonly chartSvg: string;
  readonly flows: {
    steps: string;
    from: string;
    fromColor: string;
    to: string;
    toColor: string;
    journeys: string;
    share: string;
  }[];
  readonly note: string;
}

const NODE_NAMES = {
  event: 'events',
  page_path: 'pages',
  page_title: 'page titles',
  channel: 'channels',
} as const;

/** The largest flows the table lists under the chart. */
const FLOWS = 10;

/** Journeys step by step (the paths analysis) as a Sankey with the largest flows as a table. */
export const buildJourneySankey: SectionBuilder<'journey_sankey', JourneySankeyContext> = async (
  input,
  section,
) => {
  const { fmt, range, definition } = input;
  const spec = parseWith(
    pathsSpecSchema,
    { ...section.paths, dateRange: range, includeIntraday: definition.includeIntraday },
    'paths',
  );
  const result = await runPaths(input.engine, spec);
  const channels = spec.nodeType === 'channel';
  const order = labelOrder(result.steps);
  const countOf = new Map(
    result.steps.flatMap((s) => s.nodes.map((n) => [`${s.index}:${n.node}`, n.count] as const)),
  );
  // (other) to (other) says nothing about a journey; every other flow, exits included, may be listed.
  const flows = result.edges
    .filter((e) => e.fromKind !== 'other' || e.toKind !== 'other')
    .sort((a, b) => b.count - a.count || a.step - b.step || (a.from < b.from ? -1 : 1))
    .slice(0, FLOWS)
    .map((e) => ({
      steps: `${e.step} → ${e.step + 1}`,
      from: e.from,
      fromColor: sankeyNodeColor(e.from, e.fromKind, channels, order),
      to: e.to,
      toColor: sankeyNodeColor(e.to, e.toKind, channels, order),
      journeys: fmt.integer(e.count),
      share: fmt.percent(e.count / (countOf.get(`${e.step}:${e.from}`) ?? e.count)),
    }));
  const anchor = spec.start ?? spec.end;
  const anchorName =
    anchor === null ? '' : typeof anchor === 'string' ? anchor : (anchor.event ?? anchor.goal);
  const startLabel =
    spec.start !== null
      ? `starting at ${anchorName}`
      : spec.end !== null
        ? `read backwards from ${anchorName}`
        : `from the ${spec.scope === 'session' ? 'start of each session' : 'first event of each user in the period'}`;
  return {
    type: 'journey_sankey',
    partial: 'journeySankey',
    title: section.title ?? 'Journeys',
    context: {
      unit: result.unit,
      journeys: fmt.integer(result.journeys),
      startLabel,
      chartSvg: result.steps.length ? sankeyChart({ ...result, channels }) : '',
      flows,
      note: `The top ${spec.topK} ${NODE_NAMES[spec.nodeType]} per step are shown; the rest are grouped as (other); (exit) marks journeys that ended${spec.collapseRepeats ? '; repeats in a row count once' : ''}.`,
    },
  };
};
