import type { PathEdge, PathStep } from '../analyses/paths/runPaths.js';
import { PALETTE, channelColor } from './channelColors.js';
import { renderSvg } from './charts.js';
import type * as echarts from 'echarts';

/** Colors for nodes that are not channels: one per label, so a node keeps its color in every step. */
const NODE_COLORS = [
  '#1F4E79',
  '#2E8B57',
  '#E07B39',
  '#3B7DD8',
  '#8E5BD0',
  '#D4A017',
  '#17A2B8',
  '#C2185B',
  '#7CB342',
  '#5D4037',
];
export const OTHER_COLOR = '#B8C0CA';
export const EXIT_COLOR = '#E8A598';

/** A step's node as the chart names it: labels repeat across steps, chart node names may not. */
const nodeId = (step: number, label: string) => `${step}\u2009·\u2009${label}`;

export interface SankeyInput {
  readonly steps: readonly PathStep[];
  readonly edges: readonly PathEdge[];
  /** Nodes are channels: their fixed channel colors, as in every other section. */
  readonly channels: boolean;
}

/** The color a node is drawn with; the section's legend table uses the same one. */
export function sankeyNodeColor(
  label: string,
  kind: PathStep['nodes'][number]['kind'],
  channels: boolean,
  order: ReadonlyMap<string, number>,
): string {
  if (kind === 'other') return OTHER_COLOR;
  if (kind === 'exit') return EXIT_COLOR;
  if (channels) return channelColor(label);
  return NODE_COLORS[(order.get(label) ?? 0) % NODE_COLORS.length] as string;
}

/** Labels in order of first appearance by size, which gives the largest nodes the first colors. */
export function labelOrder(steps: readonly PathStep[]): Map<string, number> {
  const order = new Map<string, number>();
  for (const step of steps)
    for (const n of step.nodes)
      if (n.kind === 'node' && !order.has(n.node)) order.set(n.node, order.size);
  return order;
}

/**
 * Journeys step by step as a Sankey: one column per step, (other) and (exit) as grey and rose
 * nodes at the foot of each column; a flow's width is the journeys that took it.
 */
export function sankeyChart(input: SankeyInput, size = { width: 680, height: 360 }): string {
  return renderSvg(sankeyOption(input, size.width), size.width, size.height);
}

/**
 * The Sankey's ECharts option, shared by the reports (as SVG, `width` known) and the pages (drawn
 * live at the box's width: column captions placed in percent, labels sized by the page's script).
 * Chart node names are `step · label`; each node's `label.formatter` is its label alone.
 */
export function sankeyOption(input: SankeyInput, width?: number): echarts.EChartsOption {
  const order = labelOrder(input.steps);
  const columns = Math.max(1, input.steps.length);
  const labelWidth = Math.max(60, Math.floor((width ?? 680) / columns) - 30);
  const kindRank = { node: 0, other: 1, exit: 2 };
  const data = input.steps.flatMap((step) =>
    step.nodes.map((n) => ({
      name: nodeId(step.index, n.node),
      depth: step.index - 1,
      value: n.count,
      rank: kindRank[n.kind],
      itemStyle: { color: sankeyNodeColor(n.node, n.kind, input.channels, order) },
      label: {
        formatter: n.node,
        position: step.index === columns && columns > 1 ? ('left' as const) : ('right' as const),
      },
    })),
  );
  const known = new Set(data.map((d) => d.name));
  const links = input.edges
    .map((e) => ({
      source: nodeId(e.step, e.from),
      target: nodeId(e.step + 1, e.to),
      value: e.count,
    }))
    .filter((l) => l.value > 0 && known.has(l.source) && known.has(l.target));
  const nodeWidth = 12;
  const stride = columns > 1 && width !== undefined ? (width - 16 - nodeWidth) / (columns - 1) : 0;
  const captionLeft = (i: number) =>
    width === undefined ? `${Math.round((i / Math.max(1, columns - 1)) * 100)}%` : 8 + i * stride;
  return {
    // Column captions: a Sankey without them does not say that a column is a step.
    graphic: input.steps.map((step, i) => ({
      type: 'text',
      left: i === columns - 1 && columns > 1 ? undefined : captionLeft(i),
      right: i === columns - 1 && columns > 1 ? 8 : undefined,
      top: 2,
      style: { text: `Step ${step.index}`, fontSize: 10, fontWeight: 'bold', fill: PALETTE.muted },
    })),
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 8,
        top: 22,
        bottom: 8,
        nodeWidth,
        nodeGap: 6,
        layoutIterations: 0,
        draggable: false,
        // Within a column: named nodes by size, then (other), then (exit), as the table lists them.
        data: data
          .sort((a, b) => a.depth - b.depth || a.rank - b.rank || b.value - a.value)
          .map(({ rank: _rank, ...d }) => d),
        links,
        lineStyle: { color: 'source', opacity: 0.35, curveness: 0.5 },
        label: { fontSize: 9.5, color: PALETTE.text, width: labelWidth, overflow: 'truncate' },
        emphasis: { disabled: true },
      },
    ],
  };
}
