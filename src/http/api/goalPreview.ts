import type { DateRange } from '../../sql/vocabulary/dateRange.js';
import { parseFunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../analyses/funnel/runFunnel.js';
import type { Goal } from '../../analyses/goals/goal.js';
import type { Engine } from '../../engines/engine.js';
import { InputError } from '../../errors/errors.js';
import { daysOf } from './eventTrends.js';

export const MAX_PREVIEW_DAYS = 31;

/**
 * A goal's daily conversions before it is saved: users reaching the goal on each day. Each day is
 * an open funnel whose first step is the goal, so the goal's conditions mean exactly what they
 * mean in funnels (one query per day, each pruned to its day; at most 31 days).
 */
export async function goalPreview(
  engine: Engine,
  goal: Goal,
  range: DateRange,
  options: { scope?: 'user' | 'session'; timeoutMs?: number } = {},
): Promise<{ date: string; units: number }[]> {
  const days = daysOf(range);
  if (days.length > MAX_PREVIEW_DAYS) {
    throw new InputError(`dateRange: preview at most ${MAX_PREVIEW_DAYS} days`, 'dateRange');
  }
  const goals = new Map([[goal.name, goal]]);
  const out: { date: string; units: number }[] = [];
  // A few at a time: enough to be quick, few enough not to crowd the engine.
  for (let i = 0; i < days.length; i += 4) {
    const batch = days.slice(i, i + 4);
    const counts = await Promise.all(
      batch.map(async (date) => {
        const spec = parseFunnelSpec({
          dateRange: { start: date, end: date },
          scope: options.scope ?? 'user',
          type: 'open',
          steps: [{ goal: goal.name }, { goal: goal.name }],
        });
        const result = await runFunnel(engine, spec, {
          goals,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        });
        return { date, units: result.steps[0]?.count ?? 0 };
      }),
    );
    out.push(...counts);
  }
  return out;
}
