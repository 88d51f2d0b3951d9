import type * as echarts from 'echarts';
import { categoryAxis, valueAxisStyle } from './stepAxes.js';
import { PALETTE } from './channelColors.js';

/** One color per attribution model, in the models' order, so a model keeps its color. */
const MODEL_COLORS = ['#1F4E79', '#3A8FB7', '#6B7785', '#2E8B57', '#C77C0E', '#7B4FA0', '#B23A48'];

/**
 * Credited conversions per touchpoint under every model as grouped bars: the touchpoints along
 * the axis, one bar per model at each, so where the models disagree reads at a glance.
 */
export function attributionModelsOption(
  models: readonly { readonly key: string; readonly label: string }[],
  rows: readonly {
    readonly touchpoint: string;
    readonly credits: Readonly<Record<string, number>>;
  }[],
): echarts.EChartsOption {
  return {
    grid: { left: 48, right: 16, top: 48, bottom: 44 },
    legend: { top: 0, left: 0, type: 'scroll', itemWidth: 14, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: categoryAxis(rows.map((r) => r.touchpoint)),
    yAxis: {
      type: 'value',
      name: 'Credited conversions',
      nameTextStyle: { fontSize: 10, color: PALETTE.muted, align: 'left' },
      ...valueAxisStyle,
    },
    series: models.map((m, i) => ({
      type: 'bar' as const,
      name: m.label,
      data: rows.map((r) => Number((r.credits[m.key] ?? 0).toFixed(2))),
      barMaxWidth: 48,
      itemStyle: { color: MODEL_COLORS[i % MODEL_COLORS.length] as string },
    })),
  };
}
