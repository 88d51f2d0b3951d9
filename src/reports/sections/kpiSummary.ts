import { dateRangeParams } from '../../sql/vocabulary/dateRange.js';
import { channelColor } from '../../render/channelColors.js';
import { channelBarChart, comparisonLineChart } from '../../render/charts.js';
import { runQuery } from '../../sql/runQuery.js';
import { rangeTotals, type RangeTotals } from '../rangeTotals.js';
import { segmentEngines } from './segmentEngines.js';
import type { SectionBuilder } from './sectionInput.js';

export interface KpiTile {
  readonly label: string;
  readonly value: string;
  readonly change: string;
  readonly direction: 'up' | 'down' | 'flat' | 'none';
  readonly previous: string;
}

export interface KpiSummaryContext {
  readonly tiles: KpiTile[];
  readonly comparisonLabel: string;
  readonly trendSvg: string;
  readonly channelSvg: string;
  readonly channels: { name: string; sessions: string; color: string }[];
  /** The definition's further goals over the range: conversions and rate per session. */
  readonly goals: { name: string; conversions: string; conversionRate: string; change: string }[];
  /** All users, then each report segment, over the range ([] without segments). */
  readonly segments: {
    name: string;
    users: string;
    sessions: string;
    conversions: string;
    conversionRate: string;
    revenue: string;
  }[];
}

/** The numbers the KPI tiles show, over the whole range: distinct users and sessions, not sums of days. */
export interface KpiFigures {
  readonly users: number;
  readonly sessions: number;
  readonly conversions: number;
  readonly conversionRate: number;
  readonly revenue: number;
}

export function kpiFigures(t: RangeTotals): KpiFigures {
  return {
    users: t.users,
    sessions: t.sessions,
    conversions: t.conversions,
    conversionRate: t.sessions > 0 ? t.conversions / t.sessions : 0,
    revenue: t.revenue,
  };
}

export const buildKpiSummary: SectionBuilder<'kpi_summary', KpiSummaryContext> = async (
  input,
  section,
) => {
  const { fmt, range, comparison, definition, engine } = input;
  const segments = segmentEngines(input);
  const [current, previous, nowTotals, beforeTotals, channels, ...bySegment] = await Promise.all([
    input.totals(range),
    comparison ? input.totals(comparison) : Promise.resolve(null),
    input.rangeTotals(range),
    comparison ? input.rangeTotals(comparison) : Promise.resolve(null),
    runQuery(engine, 'sessions_by_channel', dateRangeParams(range, definition.includeIntraday), {
      report: definition.id,
    }),
    ...segments.map((seg) =>
      rangeTotals(seg.engine, range, input.goal, definition.includeIntraday, definition.id),
    ),
  ]);
  const goalTotals = (r: typeof range) =>
    Promise.all(
      input.moreGoals.map((g) =>
        rangeTotals(engine, r, g, definition.includeIntraday, definition.id),
      ),
    );
  const [goalsNow, goalsBefore] = await Promise.all([
    goalTotals(range),
    comparison ? goalTotals(comparison) : Promise.resolve(null),
  ]);
  for (const t of [...goalsNow, ...(goalsBefore ?? [])]) input.countBytes(t.bytesProcessed);
  input.countBytes(channels.bytesProcessed);
  for (const t of bySegment) input.countBytes(t.bytesProcessed);
  const segmentRow = (name: string, t: RangeTotals) => {
    const f = kpiFigures(t);
    return {
      name,
      users: fmt.integer(f.users),
      sessions: fmt.integer(f.sessions),
      conversions: fmt.integer(f.conversions),
      conversionRate: fmt.percent(f.conversionRate, 2),
      revenue: fmt.money(f.revenue),
    };
  };
  const now = kpiFigures(nowTotals);
  const before = beforeTotals ? kpiFigures(beforeTotals) : null;
  const tile = (
    label: string,
    key: keyof KpiFigures,
    show: (x: number) => string,
    rateChange = false,
  ): KpiTile => {
    const prev = before ? before[key] : null;
    const change =
      rateChange && prev !== null
        ? {
            text: `${now[key] - prev >= 0 ? '+' : ''}${((now[key] - prev) * 100).toFixed(2)} pp`,
            direction: (Math.abs(now[key] - prev) < 0.00005
              ? 'flat'
              : now[key] > prev
                ? 'up'
                : 'down') as KpiTile['direction'],
          }
        : fmt.change(now[key], prev);
    return {
      label,
      value: show(now[key]),
      change: change.text,
      direction: change.direction,
      previous: prev === null ? '' : show(prev),
    };
  };
  const bySessions = new Map<string, number>();
  for (const row of channels.rows) {
    const name = String(row.channel);
    bySessions.set(name, (bySessions.get(name) ?? 0) + Number(row.sessions));
  }
  const channelRows = [...bySessions]
    .map(([channel, value]) => ({ channel, value }))
    .sort((a, b) => b.value - a.value)
    .slice(0, 8);
  const goal = input.goal.name;
  return {
    type: 'kpi_summary',
    partial: 'kpiSummary',
    title: section.title ?? 'Key figures',
    context: {
      comparisonLabel: comparison ? fmt.range(comparison.start, comparison.end) : '',
      tiles: [
        tile('Users', 'users', fmt.integer),
        tile('Sessions', 'sessions', fmt.integer),
        tile(`Conversions (${goal})`, 'conversions', fmt.integer),
        tile('Conversion rate', 'conversionRate', (x) => fmt.percent(x, 2), true),
        tile('Revenue', 'revenue', fmt.money),
      ],
      trendSvg: comparisonLineChart(
        current.days.map((d) => fmt.date(d.date).replace(/,? \d{4}$/, '')),
        { name: 'Sessions', values: current.days.map((d) => d.sessions) },
        previous ? { name: 'Previous period', values: previous.days.map((d) => d.sessions) } : null,
      ),
      channelSvg: channelRows.length ? channelBarChart(channelRows) : '',
      channels: channelRows.map((r) => ({
        name: r.channel,
        sessions: fmt.integer(r.value),
        color: channelColor(r.channel),
      })),
      goals: input.moreGoals.map((g, i) => {
        const t = goalsNow[i] as RangeTotals;
        const before = goalsBefore?.[i];
        return {
          name: g.name,
          conversions: fmt.integer(t.conversions),
          conversionRate: fmt.percent(kpiFigures(t).conversionRate, 2),
          change: fmt.change(t.conversions, before ? before.conversions : null).text,
        };
      }),
      segments: bySegment.length
        ? [
            segmentRow('All users', nowTotals),
            ...bySegment.map((t, i) => segmentRow(segments[i]?.name ?? '', t)),
          ]
        : [],
    },
  };
};
