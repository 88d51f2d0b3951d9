import type { Ga4Totals } from '../../ga4/ga4DataApi.js';
import type { Formatter } from '../format.js';
import type { RangeTotals } from '../rangeTotals.js';
import { addDays } from '../relativeDateRange.js';
import { runIdentityStats } from '../../analyses/identity/identityStats.js';
import type { SectionBuilder, SectionInput } from './sectionInput.js';

export interface DataQualityContext {
  readonly items: { label: string; value: string; note: string; warn: boolean }[];
  /** The export's totals beside GA4's, when a property is configured and answered. */
  readonly ga4: {
    rows: { metric: string; bigquery: string; ga4: string; difference: string; warn: boolean }[];
    why: string;
  } | null;
}

/** Beyond this gap between the export and GA4 a row is flagged: more than the usual reasons explain. */
export const GA4_GAP_WARN = 0.05;

export const GA4_WHY =
  'The numbers differ for known reasons: GA4 counts active users (engaged or new) with an estimate (HyperLogLog++), ' +
  'may model consented-out traffic and apply thresholds, and counts sessions as they start, while the export holds ' +
  'every raw event, users by distinct user_pseudo_id, and sessions by user and ga_session_id. ' +
  'A gap of a few percent is normal; a larger one points at a filter, a missing day or a tagging change.';

/** One row per metric: the export's figure, GA4's and the gap relative to GA4. */
export function ga4Rows(bq: RangeTotals, ga4: Ga4Totals, fmt: Formatter) {
  const pairs: [string, number, number, (x: number) => string][] = [
    ['Users', bq.users, ga4.activeUsers, fmt.integer],
    ['Sessions', bq.sessions, ga4.sessions, fmt.integer],
    ['Events', bq.events, ga4.eventCount, fmt.integer],
    ['Revenue', bq.revenue, ga4.totalRevenue, fmt.money],
  ];
  return pairs.map(([metric, b, g, show]) => {
    const gap = g === 0 ? (b === 0 ? 0 : null) : (b - g) / g;
    return {
      metric,
      bigquery: show(b),
      ga4: show(g),
      difference: gap === null ? 'GA4 has none' : `${gap > 0 ? '+' : ''}${fmt.percent(gap)}`,
      warn: gap === null || Math.abs(gap) > GA4_GAP_WARN,
    };
  });
}

/** GA4's totals beside the export's; a failing API is reported in the box, never fails the report. */
async function compareWithGa4(input: SectionInput): Promise<{
  item: DataQualityContext['items'][number];
  table: DataQualityContext['ga4'];
}> {
  // GA4's API cannot apply the report's conditions: unfiltered figures beside filtered ones would
  // show a gap that is not there.
  if (input.definition.filters.length) {
    return {
      item: {
        label: 'BigQuery totals against GA4',
        value: 'not checked',
        note: "the report's filters cannot be applied to GA4's own totals, so they are not compared",
        warn: false,
      },
      table: null,
    };
  }
  if (!input.ga4) {
    return {
      item: {
        label: 'BigQuery totals against GA4',
        value: 'not checked',
        note: 'no GA4 property configured (GA4_PROPERTY_ID)',
        warn: false,
      },
      table: null,
    };
  }
  try {
    const [bq, ga4] = await Promise.all([
      input.rangeTotals(input.range),
      input.ga4.totals(input.range),
    ]);
    const rows = ga4Rows(bq, ga4, input.fmt);
    const flagged = rows.filter((r) => r.warn).map((r) => r.metric.toLowerCase());
    return {
      item: {
        label: 'BigQuery totals against GA4',
        value: flagged.length
          ? `${flagged.join(', ')} differ by more than ${input.fmt.percent(GA4_GAP_WARN, 0)}`
          : `within ${input.fmt.percent(GA4_GAP_WARN, 0)}`,
        note: 'see the comparison below',
        warn: flagged.length > 0,
      },
      table: { rows, why: GA4_WHY },
    };
  } catch (error) {
    return {
      item: {
        label: 'BigQuery totals against GA4',
        value: 'not checked',
        note: error instanceof Error ? error.message : String(error),
        warn: true,
      },
      table: null,
    };
  }
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
  // Counts below are of the events the report's filters keep (the engine is scoped to them).
  const totals = await input.totals(range);
  const events = totals.days.reduce((a, d) => a + d.events, 0);
  const withoutUser = totals.days.reduce((a, d) => a + d.eventsWithoutUser, 0);
  const fresh = freshDays(range.start, range.end, now);
  const missing = [];
  for (let day = range.start; day <= range.end; day = addDays(day, 1)) {
    if (!totals.days.some((d) => d.date === day)) missing.push(day);
  }
  const [ga4, identity] = await Promise.all([
    compareWithGa4(input),
    runIdentityStats(input.engine, range, definition.includeIntraday),
  ]);
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
          label: 'Devices stitched to a signed-in user',
          value: fmt.integer(identity.stitchedDevices),
          note: `seen with a user_id; blended identity joins them to their user (${fmt.integer(identity.signedInUsers)} users)`,
          warn: false,
        },
        {
          label: 'Offline events matching no web journey',
          value: fmt.integer(identity.offlineUnmatched),
          note: `of ${fmt.integer(identity.offlineEvents)} offline events; no web event has their ids`,
          warn:
            identity.offlineEvents > 0 && identity.offlineUnmatched / identity.offlineEvents > 0.5,
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
        ga4.item,
      ],
      ga4: ga4.table,
    },
  };
};
