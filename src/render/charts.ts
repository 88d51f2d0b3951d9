import * as echarts from 'echarts';
import { categoryAxis, valueAxisStyle } from './stepAxes.js';
import { PALETTE, channelColor } from './channelColors.js';

const FONT = "'DejaVu Sans', 'Noto Sans', sans-serif";

/** One ECharts option drawn on the server as an SVG string: no DOM, no animation, nothing to wait for. */
export function renderSvg(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT, color: PALETTE.text },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export interface LineSeries {
  readonly name: string;
  readonly values: number[];
}

/** Lines for report segments, after the period's and the comparison's; fixed so a segment keeps its color. */
const SEGMENT_COLORS = ['#C0504D', '#9BBB59', '#8064A2', '#F79646'];

/** Daily values of the period against the comparison period, aligned by day number; `segments` add a line each. */
export function comparisonLineChart(
  labels: string[],
  current: LineSeries,
  previous: LineSeries | null,
  size = { width: 680, height: 220 },
  segments: LineSeries[] = [],
): string {
  return renderSvg(
    comparisonLineOption(labels, current, previous, segments),
    size.width,
    size.height,
  );
}

/** The comparison lines' ECharts option, shared by the reports (as SVG) and the pages (drawn live). */
export function comparisonLineOption(
  labels: string[],
  current: LineSeries,
  previous: LineSeries | null,
  segments: LineSeries[] = [],
): echarts.EChartsOption {
  return {
    grid: { left: 48, right: 16, top: 30, bottom: 28 },
    legend: { top: 0, right: 16, itemWidth: 14, textStyle: { fontSize: 11 } },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10, color: PALETTE.muted } },
    yAxis: {
      type: 'value',
      splitLine: { lineStyle: { color: PALETTE.grid } },
      axisLabel: { fontSize: 10, color: PALETTE.muted },
    },
    series: [
      {
        type: 'line',
        name: current.name,
        data: current.values,
        symbol: 'none',
        lineStyle: { width: 2.5, color: PALETTE.primary },
        itemStyle: { color: PALETTE.primary },
        areaStyle: { color: 'rgba(31,78,121,0.08)' },
      },
      ...(previous
        ? [
            {
              type: 'line' as const,
              name: previous.name,
              data: previous.values,
              symbol: 'none',
              lineStyle: { width: 1.5, type: 'dashed' as const, color: PALETTE.comparison },
              itemStyle: { color: PALETTE.comparison },
            },
          ]
        : []),
      ...segments.map((line, i) => ({
        type: 'line' as const,
        name: line.name,
        data: line.values,
        symbol: 'none',
        lineStyle: { width: 1.5, color: SEGMENT_COLORS[i % SEGMENT_COLORS.length] },
        itemStyle: { color: SEGMENT_COLORS[i % SEGMENT_COLORS.length] },
      })),
    ],
  };
}

/** Funnel steps as bars: who reached each step, and (stacked, light) who dropped off before it. */
export function funnelBarChart(
  steps: { name: string; count: number }[],
  size = { width: 680, height: 240 },
  showDropOff = true,
): string {
  return renderSvg(funnelBarOption(steps, showDropOff), size.width, size.height);
}

/** The funnel chart's ECharts option, shared by the reports (as SVG) and the pages (drawn live). */
export function funnelBarOption(
  steps: { name: string; count: number }[],
  showDropOff = true,
): echarts.EChartsOption {
  const lost = steps.map((s, i) =>
    i === 0 ? 0 : Math.max(0, (steps[i - 1]?.count ?? 0) - s.count),
  );
  return {
    grid: { left: 56, right: 16, top: 30, bottom: 44 },
    legend: { top: 0, right: 16, itemWidth: 14, textStyle: { fontSize: 11 } },
    xAxis: categoryAxis(steps.map((s, i) => `${i + 1}. ${s.name}`)),
    yAxis: {
      type: 'value',
      ...valueAxisStyle,
    },
    series: [
      {
        type: 'bar',
        name: 'Reached step',
        stack: 'funnel',
        data: steps.map((s) => s.count),
        barWidth: '55%',
        itemStyle: { color: PALETTE.primary },
        label: { show: true, position: 'insideTop', color: '#fff', fontSize: 11 },
      },
      ...(showDropOff
        ? [
            {
              type: 'bar' as const,
              name: 'Dropped off',
              stack: 'funnel',
              data: lost,
              itemStyle: { color: PALETTE.dropOff },
            },
          ]
        : []),
    ],
  };
}

/** Horizontal bars, one per channel, in the channel's fixed color. */
export function channelBarChart(
  rows: { channel: string; value: number }[],
  size = { width: 680, height: 200 },
): string {
  const sorted = [...rows].sort((a, b) => a.value - b.value);
  return renderSvg(
    {
      grid: { left: 130, right: 48, top: 8, bottom: 20 },
      xAxis: {
        type: 'value',
        splitLine: { lineStyle: { color: PALETTE.grid } },
        axisLabel: { fontSize: 10, color: PALETTE.muted },
      },
      yAxis: {
        type: 'category',
        data: sorted.map((r) => r.channel),
        axisLabel: { fontSize: 11, color: PALETTE.text },
      },
      series: [
        {
          type: 'bar',
          data: sorted.map((r) => ({
            value: r.value,
            itemStyle: { color: channelColor(r.channel) },
          })),
          barWidth: '60%',
          label: { show: true, position: 'right', fontSize: 10, color: PALETTE.text },
        },
      ],
    },
    size.width,
    size.height,
  );
}

/** Horizontal bars of probabilities (0–1), largest on top, labelled in percent. */
export function probabilityBarChart(
  rows: { label: string; value: number }[],
  name: string,
  size = { width: 680, height: Math.max(90, 26 * rows.length + 30) },
): string {
  const shown = [...rows].reverse();
  // The axis ends just past the largest bar (in steps of 10 points), so small chances stay legible.
  const top = Math.min(
    1,
    Math.ceil((Math.max(0.01, ...rows.map((r) => r.value)) * 1.1) / 0.1) * 0.1,
  );
  return renderSvg(
    {
      grid: { left: 190, right: 56, top: 8, bottom: 22 },
      xAxis: {
        type: 'value',
        min: 0,
        max: Number(top.toFixed(1)),
        splitLine: { lineStyle: { color: PALETTE.grid } },
        axisLabel: {
          fontSize: 10,
          color: PALETTE.muted,
          formatter: (v: number) => `${Math.round(v * 100)}%`,
        },
      },
      yAxis: {
        type: 'category',
        data: shown.map((r) => r.label),
        axisLabel: { fontSize: 10, color: PALETTE.text, width: 175, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name,
          data: shown.map((r) => r.value),
          barWidth: '60%',
          itemStyle: { color: PALETTE.accent },
          label: {
            show: true,
            position: 'right',
            fontSize: 10,
            color: PALETTE.text,
            formatter: (p: { value?: unknown }) => `${(Number(p.value) * 100).toFixed(1)}%`,
          },
        },
      ],
    },
    size.width,
    size.height,
  );
}
