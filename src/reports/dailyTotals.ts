import type { DateRange } from '../sql/vocabulary/dateRange.js';
import type { Engine } from '../engines/engine.js';
import { runGoalTotals, type ReportGoal } from './reportGoal.js';

export interface DailyTotal {
  readonly date: string;
  readonly users: number;
  readonly sessions: number;
  readonly events: number;
  readonly eventsWithoutUser: number;
  readonly conversions: number;
  readonly revenue: number;
}

export interface DailyTotals {
  readonly days: DailyTotal[];
  readonly bytesProcessed: number | null;
}

const isoDate = (v: unknown) => {
  const s = String(v);
  return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}` : s.slice(0, 10);
};

/** KPI numbers per export day (sql/daily_totals.sql). Users per day do not add up to users in the range. */
export async function dailyTotals(
  engine: Engine,
  range: DateRange,
  goal: ReportGoal,
  includeIntraday: boolean,
  report?: string,
): Promise<DailyTotals> {
  const run = await runGoalTotals(engine, 'daily_totals', range, goal, includeIntraday, report);
  return {
    bytesProcessed: run.bytesProcessed,
    days: run.rows.map((r) => ({
      date: isoDate(r.event_date),
      users: Number(r.users),
      sessions: Number(r.sessions),
      events: Number(r.events),
      eventsWithoutUser: Number(r.events_without_user),
      conversions: Number(r.conversions),
      revenue: Number(r.revenue),
    })),
  };
}
