import type { DateRange } from '../sql/vocabulary/dateRange.js';

export const RELATIVE_RANGES = [
  'yesterday',
  'last_7_days',
  'last_week',
  'last_28_days',
  'month_to_date',
  'last_month',
  'last_quarter',
] as const;
export type RelativeRange = (typeof RELATIVE_RANGES)[number];
export type Comparison = 'previous_period' | 'previous_year' | 'none';

/** The calendar date of `now` in an IANA zone, as 'YYYY-MM-DD' (Intl applies the zone's DST rules). */
export function localDate(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// Calendar arithmetic on plain dates, done in UTC so no zone can shift a day.
const toUtc = (date: string) => new Date(`${date}T00:00:00Z`);
const fmt = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string => {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fmt(d);
};
const ymd = (date: string) => date.split('-').map(Number) as [number, number, number];
const firstOfMonth = (y: number, m: number) => fmt(new Date(Date.UTC(y, m - 1, 1)));
export const daysBetween = (start: string, end: string): number =>
  Math.round((toUtc(end).getTime() - toUtc(start).getTime()) / 86_400_000) + 1;

/** A relative range resolved on the report zone's calendar as it stands at `now`; today excluded except month_to_date. */
export function resolveRelativeRange(range: RelativeRange, timeZone: string, now: Date): DateRange {
  const today = localDate(now, timeZone);
  const yesterday = addDays(today, -1);
  const [y, m] = ymd(today);
  switch (range) {
    case 'yesterday':
      return { start: yesterday, end: yesterday };
    case 'last_7_days':
      return { start: addDays(today, -7), end: yesterday };
    case 'last_28_days':
      return { start: addDays(today, -28), end: yesterday };
    case 'last_week': {
      const weekday = (toUtc(today).getUTCDay() + 6) % 7; // Monday = 0
      const monday = addDays(today, -weekday - 7);
      return { start: monday, end: addDays(monday, 6) };
    }
    case 'month_to_date':
      // On the 1st the month so far is today alone (an intraday day).
      return { start: firstOfMonth(y, m), end: today };
    case 'last_month': {
      const start = firstOfMonth(y, m - 1);
      return { start, end: addDays(firstOfMonth(y, m), -1) };
    }
    case 'last_quarter': {
      const q = Math.floor((m - 1) / 3);
      const thisQuarter = firstOfMonth(y, q * 3 + 1);
      return { start: firstOfMonth(y, q * 3 - 2), end: addDays(thisQuarter, -1) };
    }
  }
}

const shiftYear = (date: string, years: number): string => {
  const [y, m, d] = ymd(date);
  // 29 February falls back to the 28th in a common year.
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return fmt(new Date(Date.UTC(y + years, m - 1, Math.min(d, last))));
};

/** The range a period is compared with: the same number of days just before, or a year earlier. */
export function comparisonRange(range: DateRange, comparison: Comparison): DateRange | null {
  if (comparison === 'none') return null;
  if (comparison === 'previous_year') {
    return { start: shiftYear(range.start, -1), end: shiftYear(range.end, -1) };
  }
  const days = daysBetween(range.start, range.end);
  return { start: addDays(range.start, -days), end: addDays(range.start, -1) };
}
