import { attributionRun, TOUCHPOINT_LABEL } from './attributionRun.js';
import type { SectionBuilder } from './sectionInput.js';

export interface ConversionPathsContext {
  readonly basis: string;
  readonly paths: {
    path: string;
    conversions: string;
    nonConversions: string;
    revenue: string;
    days: string;
    touchpoints: string;
  }[];
  readonly lengths: { touchpoints: string; conversions: string; share: string }[];
}

/** The top conversion paths with their outcomes, and how many touchpoints conversions took. */
export const buildConversionPaths: SectionBuilder<
  'conversion_paths',
  ConversionPathsContext
> = async (input, section) => {
  const { fmt, range, definition } = input;
  const touchpoint = section.touchpoint ?? 'channel';
  const lookback = section.lookback ?? '30d';
  const r = await attributionRun(input, {
    touchpoint,
    lookback,
    topPaths: section.top,
    identity: section.identity,
  });
  const days = new Intl.NumberFormat(definition.locale, { maximumFractionDigits: 1 });
  return {
    type: 'conversion_paths',
    partial: 'conversionPaths',
    title: section.title ?? 'Top conversion paths',
    context: {
      basis: `${fmt.integer(r.conversions)} conversions (${input.goal.name}), ${fmt.range(range.start, range.end)}; touchpoint: ${TOUCHPOINT_LABEL[touchpoint]}; lookback ${lookback}. Not converted: the same path seen without a conversion.`,
      paths: r.paths.map((p) => ({
        path: p.path.join(' › '),
        conversions: fmt.integer(p.conversions),
        nonConversions: fmt.integer(p.nonConversions),
        revenue: fmt.money(p.revenue),
        days: days.format(p.meanDaysToConversion ?? 0),
        touchpoints: fmt.integer(p.touchpoints),
      })),
      lengths: r.pathLengths.map((l) => ({
        touchpoints: fmt.integer(l.touchpoints),
        conversions: fmt.integer(l.conversions),
        share: fmt.percent(l.share),
      })),
    },
  };
};
