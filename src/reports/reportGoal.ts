import { conditionSlots } from '../sql/vocabulary/conditionSlots.js';
import type { Condition } from '../sql/vocabulary/condition.js';
import type { Goal } from '../analyses/goals/goal.js';
import type { DateRange } from '../sql/vocabulary/dateRange.js';
import { dateRangeParams } from '../sql/vocabulary/dateRange.js';
import type { Engine } from '../engines/engine.js';
import { InputError } from '../errors/errors.js';
import { runQuery, type QueryRun } from '../sql/runQuery.js';
import type { GoalRef } from './reportDefinition.js';

/** How many goal condition slots (`@c1_*` .. `@c10_*`) sql/daily_totals.sql and range_totals.sql declare. */
export const MAX_REPORT_GOAL_CONDITIONS = 10;

/** A report's conversion goal as its sections count it: an event, its conditions, its value source. */
export interface ReportGoal {
  readonly name: string;
  readonly event: string;
  readonly where: Condition[];
  /** Absent: ecommerce.purchase_revenue, else the `value` parameter (what reports counted before goals had one). */
  readonly value?: string;
}

/** A saved goal by name, or the definition's own goal; `path` names the field in the error. */
export function resolveReportGoal(
  ref: GoalRef,
  goals: ReadonlyMap<string, Goal>,
  path = 'goal',
): ReportGoal {
  if (typeof ref === 'string') {
    const goal = goals.get(ref);
    if (!goal) {
      throw new InputError(
        `${path}: no saved goal named ${JSON.stringify(ref)}${goals.size ? ` (known: ${[...goals.keys()].join(', ')})` : ''}`,
        path,
      );
    }
    return { name: goal.name, event: goal.event, where: goal.where ?? [], value: goal.value };
  }
  return {
    name: ref.name ?? ref.event,
    event: ref.event,
    where: ref.where ?? [],
    ...(ref.value === undefined ? {} : { value: ref.value }),
  };
}

/** The goal as the context and values of sql/daily_totals.sql and sql/range_totals.sql. */
export function goalTotalsQuery(goal: ReportGoal) {
  const slots = conditionSlots(MAX_REPORT_GOAL_CONDITIONS, 'report goal');
  const where = goal.where.map((c, j) => slots.add(c, `goal.where[${j}]`));
  const value = goal.value;
  const valueKind =
    value === undefined
      ? 'default'
      : value === 'none'
        ? 'none'
        : value === 'ecommerce.purchase_revenue'
          ? 'revenue'
          : 'param';
  return {
    context: { valueKind, where },
    params: {
      goal_event: goal.event,
      value_key: valueKind === 'param' ? (value as string).slice('param:'.length) : null,
      ...slots.params,
    },
  };
}

/** Runs a totals query (sql/range_totals.sql or sql/daily_totals.sql) for the goal over a range. */
export function runGoalTotals(
  engine: Engine,
  name: 'range_totals' | 'daily_totals',
  range: DateRange,
  goal: ReportGoal,
  includeIntraday: boolean,
  report?: string,
): Promise<QueryRun> {
  const query = goalTotalsQuery(goal);
  return runQuery(
    engine,
    name,
    { ...dateRangeParams(range, includeIntraday), ...query.params },
    { context: query.context, ...(report ? { report } : {}) },
  );
}
