import { parseRetentionSpec } from '../../analyses/retention/retentionSpec.js';
import { runRetention } from '../../analyses/retention/runRetention.js';
import { addDays } from '../relativeDateRange.js';
import type { SectionBuilder } from './sectionInput.js';

export interface RetentionSectionContext {
  readonly periodLabel: string;
  readonly rangeLabel: string;
  readonly headers: string[];
  readonly rows: { cohort: string; users: string; cells: { text: string; style: string }[] }[];
  readonly repeatRate: string;
  readonly converters: string;
}

/** Cohorts over enough history to show every period: the report's end date, `periods + 1` periods back. */
export const buildRetentionSection: SectionBuilder<'retention', RetentionSectionContext> = async (
  input,
  section,
) => {
  const { fmt, range, definition } = input;
  const period = section.period ?? 'week';
  const periods = section.periods ?? 6;
  const days = period === 'week' ? (periods + 1) * 7 : (periods + 1) * 31;
  const spec = parseRetentionSpec({
    dateRange: { start: addDays(range.end, -days + 1), end: range.end },
    includeIntraday: definition.includeIntraday,
    period,
    periods,
    goal: input.goal.event,
    ...(input.goal.where.length ? { goalWhere: input.goal.where } : {}),
  });
  const result = await runRetention(input.engine, spec);
  const headers = Array.from(
    { length: periods + 1 },
    (_, i) => `${period === 'week' ? 'W' : 'M'}${i}`,
  );
  return {
    type: 'retention',
    partial: 'retention',
    title: section.title ?? 'Retention by first-visit cohort',
    context: {
      periodLabel: period === 'week' ? 'week' : 'month',
      rangeLabel: fmt.range(spec.dateRange.start, spec.dateRange.end),
      headers,
      rows: result.cohorts.map((c) => ({
        cohort: fmt.date(c.cohort),
        users: fmt.integer(c.users),
        cells: headers.map((_, p) => {
          const a = c.active.find((x) => x.period === p);
          if (!a) return { text: '', style: '' };
          // Darker for a larger share; white text once the cell is dark.
          const alpha = Math.min(1, 0.08 + a.share * 0.9);
          return {
            text: fmt.percent(a.share, 0),
            style: `background: rgba(31,78,121,${alpha.toFixed(2)}); color: ${alpha > 0.5 ? '#fff' : '#23303F'};`,
          };
        }),
      })),
      repeatRate: fmt.percent(result.repeatConversionRate),
      converters: fmt.integer(result.converters),
    },
  };
};
