import { z } from 'zod';
import { InputError } from '../../errors/errors.js';
import { conditionSchema } from '../../sql/vocabulary/condition.js';
import { parseWith } from '../../errors/parseWith.js';
import { type FunnelSpec, type StepSpec } from '../funnel/funnelSpec.js';

/** A saved conversion goal (journeys.md §1): an event, conditions and where its value comes from. */
/** Where a goal's value comes from: an event parameter, the order revenue, or nothing. */
export const valueSourceSchema = z
  .string()
  .regex(
    /^(none|ecommerce\.purchase_revenue|param:[A-Za-z_][A-Za-z0-9_]{0,99})$/,
    'expected param:<key>, ecommerce.purchase_revenue or none',
  );

export const goalSchema = z
  .object({
    name: z.string().min(1).max(200),
    event: z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name'),
    where: z.array(conditionSchema).max(10).optional(),
    value: valueSourceSchema.default('none'),
  })
  .strict();
export type Goal = z.infer<typeof goalSchema>;

export const goalsSchema = z.array(goalSchema).max(200);

/** Goals by name, from a list (a goals file holds `[{name, event, ...}]` or `{goals: [...]}`). */
export function parseGoals(input: unknown): Map<string, Goal> {
  const list =
    input && typeof input === 'object' && !Array.isArray(input) && 'goals' in input
      ? (input as { goals: unknown }).goals
      : input;
  const goals = parseWith(goalsSchema, list, 'goals');
  const map = new Map<string, Goal>();
  goals.forEach((goal, i) => {
    if (map.has(goal.name))
      throw new InputError(`goals[${i}].name: duplicate goal ${goal.name}`, `goals[${i}].name`);
    map.set(goal.name, goal);
  });
  return map;
}

/** Replaces `{ "goal": "name" }` steps by the goal's event and conditions (plus the step's own). */
export function resolveGoalSteps(spec: FunnelSpec, goals: ReadonlyMap<string, Goal>): FunnelSpec {
  const steps = spec.steps.map((step, i): StepSpec => {
    if (step.goal === undefined) return step;
    const goal = goals.get(step.goal);
    if (!goal) {
      throw new InputError(
        `steps[${i}].goal: no goal named ${JSON.stringify(step.goal)}${goals.size ? ` (known: ${[...goals.keys()].join(', ')})` : ''}`,
        `steps[${i}].goal`,
      );
    }
    const rest: StepSpec = { ...step };
    delete rest.goal;
    return {
      ...rest,
      name: step.name ?? goal.name,
      event: goal.event,
      where: [...(goal.where ?? []), ...(step.where ?? [])],
    };
  });
  return { ...spec, steps };
}
