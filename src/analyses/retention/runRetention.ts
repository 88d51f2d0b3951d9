import type { Engine } from '../../engines/engine.js';
import { withIdentity } from '../../sql/eventScope.js';
import type { Row } from '../../engines/normalize.js';
import { conditionSlots } from '../../sql/vocabulary/conditionSlots.js';
import { runQuery } from '../../sql/runQuery.js';
import { dateRangeParams } from '../../sql/vocabulary/dateRange.js';
import type { RetentionSpec } from './retentionSpec.js';

export interface Cohort {
  /** First day of the cohort's week (Monday) or month. */
  readonly cohort: string;
  readonly users: number;
  /** Period 0 is the cohort's own; a period after the range's end is absent. */
  readonly active: { period: number; users: number; share: number }[];
  readonly converters: number;
  readonly repeatConverters: number;
  readonly repeatConversionRate: number;
}

export interface RetentionResult {
  readonly period: 'week' | 'month';
  readonly cohorts: Cohort[];
  readonly usersWithoutCohort: number;
  readonly eventsWithoutUser: number;
  readonly converters: number;
  readonly repeatConverters: number;
  readonly repeatConversionRate: number;
  readonly sql: string;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);
const DAY = 86_400_000;

/** The first day of a period number as the query counts them. */
export function periodStart(period: 'week' | 'month', n: number): string {
  if (period === 'week') return new Date((n * 7 - 3) * DAY).toISOString().slice(0, 10);
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}-01`;
}

/** The last period number the range reaches. */
function lastPeriod(spec: RetentionSpec): number {
  const end = new Date(`${spec.dateRange.end}T00:00:00Z`);
  if (spec.period === 'month') return end.getUTCFullYear() * 12 + end.getUTCMonth();
  return Math.floor((end.getTime() / DAY + 3) / 7);
}

export function retentionFromRows(
  spec: RetentionSpec,
  rows: readonly Row[],
  sql: string,
): RetentionResult {
  const last = lastPeriod(spec);
  const byCohort = new Map<number, Row[]>();
  for (const r of rows.filter((x) => x.row_type === 'active')) {
    const c = Number(r.cohort);
    byCohort.set(c, [...(byCohort.get(c) ?? []), r]);
  }
  const conv = new Map(
    rows.filter((x) => x.row_type === 'conversion').map((r) => [Number(r.cohort), r]),
  );
  const cohorts = [...byCohort.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([c, list]) => {
      const at = (k: number) => Number(list.find((r) => Number(r.k) === k)?.n ?? 0);
      const users = at(0);
      const active = [];
      for (let k = 0; k <= spec.periods && c + k <= last; k += 1) {
        active.push({ period: k, users: at(k), share: ratio(at(k), users) });
      }
      const converters = Number(conv.get(c)?.n ?? 0);
      const repeatConverters = Number(conv.get(c)?.m ?? 0);
      return {
        cohort: periodStart(spec.period, c),
        users,
        active,
        converters,
        repeatConverters,
        repeatConversionRate: ratio(repeatConverters, converters),
      };
    });
  const converters = cohorts.reduce((s, c) => s + c.converters, 0);
  const repeatConverters = cohorts.reduce((s, c) => s + c.repeatConverters, 0);
  const single = (type: string) => Number(rows.find((r) => r.row_type === type)?.n ?? 0);
  return {
    period: spec.period,
    cohorts,
    usersWithoutCohort: single('users_without_cohort'),
    eventsWithoutUser: single('events_without_user'),
    converters,
    repeatConverters,
    repeatConversionRate: ratio(repeatConverters, converters),
    sql,
  };
}

/** Cohorts by first-visit week or month, activity in later periods, repeat conversion. */
export async function runRetention(
  baseEngine: Engine,
  spec: RetentionSpec,
  options: { timeoutMs?: number } = {},
): Promise<RetentionResult> {
  const engine = withIdentity(baseEngine, spec.identity);
  const slots = conditionSlots(10, 'retention goal');
  const goalWhere = (spec.goalWhere ?? []).map((c, k) => slots.add(c, `goalWhere[${k}]`));
  const run = await runQuery(
    engine,
    'retention',
    {
      ...dateRangeParams(spec.dateRange, spec.includeIntraday),
      cohort_event: 'first_visit',
      goal_event: spec.goal,
      periods: spec.periods,
      ...slots.params,
    },
    {
      context: { period: spec.period, firstEvent: spec.cohortBy === 'first_event', goalWhere },
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    },
  );
  return retentionFromRows(spec, run.rows, run.sql);
}
