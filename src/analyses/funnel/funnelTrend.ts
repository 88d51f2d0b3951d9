import type { Row } from '../../engines/normalize.js';
import type { DateRange } from '../../sql/vocabulary/dateRange.js';

export interface TrendStep {
  readonly name: string;
  readonly count: number;
  readonly conversionRate: number;
  readonly fromPrevious: number;
}

export interface TrendPeriod {
  /** The period's first day (a Monday for weeks), YYYY-MM-DD. */
  readonly start: string;
  readonly steps: TrendStep[];
}

export interface FunnelTrend {
  readonly interval: 'day' | 'week';
  readonly periods: TrendPeriod[];
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
// Weeks are numbered as in sql/funnel_trend.sql: DIV(unix day + 3, 7), Monday first.
const weekOf = (day: number) => Math.floor((day + 3) / 7);

/** Every day or week of the range, in order, with the SQL's period number. */
export function periodsOf(
  range: DateRange,
  interval: 'day' | 'week',
): { n: number; start: string }[] {
  const first = dayNumber(range.start);
  const last = dayNumber(range.end);
  if (interval === 'day') {
    return Array.from({ length: last - first + 1 }, (_v, i) => ({
      n: first + i,
      start: isoDay(first + i),
    }));
  }
  const out: { n: number; start: string }[] = [];
  for (let w = weekOf(first); w <= weekOf(last); w++) out.push({ n: w, start: isoDay(w * 7 - 3) });
  return out;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);

/** sql/funnel_trend.sql's rows (period, step, units, via_previous) per period of the range. */
export function funnelTrendResult(
  stepNames: readonly string[],
  range: DateRange,
  interval: 'day' | 'week',
  rows: readonly Row[],
): FunnelTrend {
  const cell = new Map(rows.map((r) => [`${Number(r.period)}|${Number(r.step)}`, r]));
  const periods = periodsOf(range, interval).map(({ n, start }) => {
    const count = (k: number) => Number(cell.get(`${n}|${k}`)?.units ?? 0);
    const via = (k: number) => Number(cell.get(`${n}|${k}`)?.via_previous ?? 0);
    return {
      start,
      steps: stepNames.map((name, i) => ({
        name,
        count: count(i + 1),
        conversionRate: ratio(count(i + 1), count(1)),
        fromPrevious: i === 0 ? (count(1) > 0 ? 1 : 0) : ratio(via(i + 1), count(i)),
      })),
    };
  });
  return { interval, periods };
}
