import { durationMicros } from '../../sql/vocabulary/duration.js';
import { conditionSlots } from '../../sql/vocabulary/conditionSlots.js';

/** How many condition slots (`@c1_*` .. `@c10_*`) sql/attribution_paths.sql declares. */
export const MAX_GOAL_CONDITIONS = 10;
import { valueSourceOf, type AttributionSpec } from './attributionSpec.js';

/** `2020-11-01` minus n days, as a date string. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The spec as the `sql/attribution_paths.sql` context (structure: touchpoint kind, value kind,
 * conditions) and bound values. Events are read from the range start minus the lookback, rounded
 * up to whole export days, so a conversion on the first day still sees its whole lookback.
 */
export function attributionQuery(spec: AttributionSpec): {
  context: Record<string, unknown>;
  params: Record<string, unknown>;
} {
  const lookbackUs = durationMicros(spec.lookback);
  const slots = conditionSlots(MAX_GOAL_CONDITIONS, 'goal');
  const where = (spec.goal.where ?? []).map((c, j) => slots.add(c, `goal.where[${j}]`));
  const value = valueSourceOf(spec.goal);
  const valueKind =
    value === 'none' ? 'none' : value === 'ecommerce.purchase_revenue' ? 'revenue' : 'param';
  return {
    context: { touchpoint: spec.touchpoint, valueKind, where },
    params: {
      start_date: addDays(spec.dateRange.start, -Math.ceil(lookbackUs / 86400e6)),
      end_date: spec.dateRange.end,
      include_intraday: spec.includeIntraday,
      range_start: spec.dateRange.start,
      lookback_us: lookbackUs,
      goal_event: spec.goal.event,
      value_key: valueKind === 'param' ? value.slice('param:'.length) : null,
      ...slots.params,
    },
  };
}
