import { addDays } from '../relativeDateRange.js';
import type { SectionBuilder } from './sectionInput.js';

export interface DataQualityContext {
  readonly items: { label: string; value: string; note: string; warn: boolean }[];
}

/** The export may rewrite a day for 72 hours after it ends; the end is midnight in the report's zone, taken as UTC-safe upper bound. */
export function freshDays(start: string, end: string, now: Date): string[] {
  const out: string[] = [];
  for (let day = start; day <= end; day = addDays(day, 1)) {
    // End of the day at the latest zone on earth (UTC-12) is the safe bound.
    const dayEnd = Date.parse(`${addDays(day, 1)}T12:00:00Z`);
    if (now.getTime() - dayEnd < 72 * 3600_000) out.push(day);
  }
  return out;
}

export const buildDataQuality: SectionBuilder<'data_quality', DataQualityContext> = async (
  input,
  section,
) => {
  const { fmt, range, definition, now } = input;
  const totals = await input.totals(range);
  const events = totals.days.reduce((a, d) => a + d.events, 0);
  const withoutUser = totals.days.reduce((a, d) => a + d.eventsWithoutUser, 0);
  const fresh = freshDays(range.start, range.end, now);
  const missing = [];
  for (let day = range.start; day <= range.end; day = addDays(day, 1)) {
    if (!totals.days.some((d) => d.date === day)) missing.push(day);
  }
  const bytes = input.bytesProcessed();
  return {
    type: 'data_quality',
    partial: 'dataQuality',
    title: section.title ?? 'Data quality',
    context: {
      items: [
        {
          label: 'Days the export may still rewrite (younger than 72 h)',
          value: fresh.length ? fresh.map((d) => fmt.date(d)).join(', ') : 'none',
          note: fresh.length ? 'figures for these days can still change' : 'every day is final',
          warn: fresh.length > 0,
        },
        {
          label: 'Days without data',
          value: missing.length ? String(missing.length) : 'none',
          note: missing.length ? missing.map((d) => fmt.date(d)).join(', ') : '',
          warn: missing.length > 0,
        },
        {
          label: 'Events without user_pseudo_id (consent mode)',
          value: fmt.percent(events ? withoutUser / events : 0, 2),
          note: `${fmt.integer(withoutUser)} of ${fmt.integer(events)} events; counted in events and conversions, not in users`,
          warn: events > 0 && withoutUser / events > 0.1,
        },
        {
          label: 'Intraday tables',
          value: definition.includeIntraday ? 'included' : 'not included',
          note: definition.includeIntraday
            ? 'today’s partial data is counted'
            : 'only finished daily tables',
          warn: false,
        },
        {
          label: 'Bytes processed',
          value: bytes === null ? 'not reported (embedded DuckDB)' : `${fmt.integer(bytes)} B`,
          note: '',
          warn: false,
        },
        {
          label: 'BigQuery totals against GA4',
          value: 'not checked',
          note: 'no GA4 property configured for this report',
          warn: false,
        },
      ],
    },
  };
};
