import { parseWith, funnelSpecSchema } from '../../analyses/funnel/funnelSpec.js';
import type { FunnelTrend } from '../../analyses/funnel/funnelTrend.js';
import { runFunnel } from '../../analyses/funnel/runFunnel.js';
import { comparisonLineChart } from '../../render/charts.js';
import type { DateRange } from '../../analyses/common/dateRange.js';
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
  }[];
}

const lastRate = (p: FunnelTrend['periods'][number]) =>
  p.steps[p.steps.length - 1]?.conversionRate ?? 0;

/** The trended funnel (issue 9): conversion to the last step per day or week of entry, against the comparison period. */
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
  const [current, previous] = await Promise.all([
    runFunnel(input.engine, specFor(range)),
    comparison ? runFunnel(input.engine, specFor(comparison)) : Promise.resolve(null),
  ]);
  input.countBytes(current.bytesProcessed);
  if (previous) input.countBytes(previous.bytesProcessed);
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
      ),
      rows: periods.map((p, i) => {
        const b = before[i];
        return {
          start: fmt.date(p.start),
          entered: fmt.integer(p.steps[0]?.count ?? 0),
          completed: fmt.integer(p.steps[p.steps.length - 1]?.count ?? 0),
          rate: fmt.percent(lastRate(p)),
          previousRate: b ? fmt.percent(lastRate(b)) : '–',
        };
      }),
    },
  };
};
