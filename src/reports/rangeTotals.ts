import type { DateRange } from '../sql/vocabulary/dateRange.js';
import type { Engine } from '../engines/engine.js';
import { runGoalTotals, type ReportGoal } from './reportGoal.js';

/** The KPI figures over a whole range (sql/range_totals.sql): distinct users and sessions, not sums of days. */
export interface RangeTotals {
  readonly users: number;
  readonly sessions: number;
  readonly events: number;
  readonly eventsWithoutUser: number;
  readonly conversions: number;
  readonly revenue: number;
  readonly bytesProcessed: number | null;
}

export async function rangeTotals(
  engine: Engine,
  range: DateRange,
  goal: ReportGoal,
  includeIntraday: boolean,
  report?: string,
): Promise<RangeTotals> {
  const run = await runGoalTotals(engine, 'range_totals', range, goal, includeIntraday, report);
  const row = run.rows[0] ?? {};
  return {
    users: Number(row.users ?? 0),
    sessions: Number(row.sessions ?? 0),
    events: Number(row.events ?? 0),
    eventsWithoutUser: Number(row.events_without_user ?? 0),
    conversions: Number(row.conversions ?? 0),
    revenue: Number(row.revenue ?? 0),
    bytesProcessed: run.bytesProcessed,
  };
}
