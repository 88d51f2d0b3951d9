import type * as echarts from 'echarts';
import { categoryAxis, valueAxisStyle } from './stepAxes.js';

/** Series colors for the groups of a broken-down or segmented funnel, in a fixed order. */
const GROUP_COLORS = ['#1F4E79', '#2E8B57', '#C77C0E', '#7B4FA0', '#B23A48', '#3A8FB7', '#6B7785'];

/**
 * A funnel per group (a breakdown's values or segments) as grouped bars: the steps along the
 * axis, one bar per group at each, so each group's drop from step to step reads side by side.
 */
export function funnelGroupsOption(
  stepNames: readonly string[],
  groups: readonly { name: string; counts: readonly number[] }[],
): echarts.EChartsOption {
  return {
    grid: { left: 56, right: 16, top: 40, bottom: 44 },
    legend: { top: 0, left: 0, type: 'scroll', itemWidth: 14, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: categoryAxis(stepNames.map((s, i) => `${i + 1}. ${s}`)),
    yAxis: {
      type: 'value',
      minInterval: 1,
      ...valueAxisStyle,
    },
    series: groups.map((g, i) => ({
      type: 'bar' as const,
      name: g.name,
      data: [...g.counts],
      itemStyle: { color: GROUP_COLORS[i % GROUP_COLORS.length] as string },
      label: { show: groups.length <= 4, position: 'top' as const, fontSize: 10 },
    })),
  };
}
