import type { DateRange } from '../../sql/vocabulary/dateRange.js';
import { dateRangeParams } from '../../sql/vocabulary/dateRange.js';
import type { Engine } from '../../engines/engine.js';
import { runQuery } from '../../sql/runQuery.js';

export interface DailyCount {
  readonly date: string;
  readonly events: number;
  readonly users: number;
}

/** Daily events and users per event name (every day of the range, zeros filled): sparklines. */
export async function eventTrends(
  engine: Engine,
  range: DateRange,
  includeIntraday = false,
): Promise<Record<string, DailyCount[]>> {
  const run = await runQuery(engine, 'event_daily_counts', dateRangeParams(range, includeIntraday));
  const days = daysOf(range);
  const byEvent = new Map<string, Map<string, DailyCount>>();
  for (const row of run.rows) {
    const name = String(row.event_name);
    const date = String(row.event_date).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
    const map = byEvent.get(name) ?? new Map<string, DailyCount>();
    byEvent.set(name, map);
    map.set(date, { date, events: Number(row.events), users: Number(row.users) });
  }
  const out: Record<string, DailyCount[]> = {};
  for (const [name, map] of byEvent) {
    out[name] = days.map((date) => map.get(date) ?? { date, events: 0, users: 0 });
  }
  return out;
}

export function daysOf(range: DateRange): string[] {
  const days: string[] = [];
  const end = Date.parse(`${range.end}T00:00:00Z`);
  for (
    let t = Date.parse(`${range.start}T00:00:00Z`);
    t <= end && days.length < 3700;
    t += 86_400_000
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
