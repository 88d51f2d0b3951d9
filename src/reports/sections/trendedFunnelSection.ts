import { parseWith } from '../../errors/parseWith.js';
import { funnelSpecSchema } from '../../analyses/funnel/funnelSpec.js';
import type { FunnelTrend } from '../../analyses/funnel/funnelTrend.js';
import { runFunnel } from '../../analyses/funnel/runFunnel.js';
import { comparisonLineChart } from '../../render/charts.js';
import type { DateRange } from '../../sql/vocabulary/dateRange.js';
import { segmentEngines } from './segmentEngines.js';
import type { SectionBuilder } from './sectionInput.js';

export interface TrendedFunnelSectionContext {
  readonly unit: string;
  readonly intervalLabel: string;
  readonly lastStep: string;
  readonly comparisonLabel: string;
  readonly chartSvg: string;
  readonly rows: {
    start: string;
    entered: string;
    completed: string;
    rate: string;
    previousRate: string;
    /** Conversion of each report segment in this period, in the definition's order. */
    segmentRates: string[];
  }[];
  readonly segmentNames: string[];
}

const lastRate = (p: FunnelTrend['periods'][number]) =>
  p.steps[p.steps.length - 1]?.conversionRate ?? 0;

/** The trended funnel: conversion to the last step per day or week of entry, against the comparison period. */
export const buildTrendedFunnelSection: SectionBuilder<
  'trended_funnel',
  TrendedFunnelSectionContext
> = async (input, section) => {
  const { fmt, range, comparison, definition } = input;
  const interval = section.interval ?? 'day';
  const specFor = (dateRange: DateRange) =>
    parseWith(
      funnelSpecSchema,
      {
        includeIntraday: definition.includeIntraday,
        ...section.funnel,
        trend: { interval },
        dateRange,
      },
      'funnel',
    );
  const options = { goals: input.goals };
  const segments = segmentEngines(input);
  const [current, previous, ...bySegment] = await Promise.all([
    runFunnel(input.engine, specFor(range), options),
    comparison ? runFunnel(input.engine, specFor(comparison), options) : Promise.resolve(null),
    ...segments.map((s) => runFunnel(s.engine, specFor(range), options)),
  ]);
  for (const r of [current, previous, ...bySegment]) if (r) input.countBytes(r.bytesProcessed);
  const periods = current.trend?.periods ?? [];
  // Comparison periods line up by position (first day with first day, first week with first week).
  const before = previous?.trend?.periods ?? [];
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return {
    type: 'trended_funnel',
    partial: 'trendedFunnel',
    title: section.title ?? 'Funnel conversion over time',
    context: {
      unit: current.unit,
      intervalLabel: interval,
      lastStep: current.steps[current.steps.length - 1]?.name ?? '',
      comparisonLabel: comparison ? fmt.range(comparison.start, comparison.end) : '',
      segmentNames: segments.map((s) => s.name),
      chartSvg: comparisonLineChart(
        periods.map((p) => fmt.date(p.start)),
        { name: 'Conversion, %', values: periods.map((p) => pct(lastRate(p))) },
        previous
          ? {
              name: 'Comparison, %',
              values: periods.map((_p, i) => {
                const b = before[i];
                return b ? pct(lastRate(b)) : 0;
              }),
            }
          : null,
        undefined,
        segments.map((seg, j) => ({
          name: seg.name,
          values: periods.map((p) => {
            const own = bySegment[j]?.trend?.periods.find((x) => x.start === p.start);
            return own ? pct(lastRate(own)) : 0;
          }),
        })),
      ),
      rows: periods.map((p, i) => {
        const b = before[i];
        return {
          start: fmt.date(p.start),
          entered: fmt.integer(p.steps[0]?.count ?? 0),
          completed: fmt.integer(p.steps[p.steps.length - 1]?.count ?? 0),
          rate: fmt.percent(lastRate(p)),
          previousRate: b ? fmt.percent(lastRate(b)) : '–',
          segmentRates: bySegment.map((r) => {
            const own = r?.trend?.periods.find((x) => x.start === p.start);
            return own ? fmt.percent(lastRate(own)) : '–';
          }),
        };
      }),
    },
  };
};
