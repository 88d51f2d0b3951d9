import { FIELD_SQL, ITEM_FIELDS, type Condition } from '../funnel/funnelSpec.js';

/** How many condition slots (`@c1_*` .. `@c10_*`) a goal query declares: a goal has at most 10. */
export const MAX_GOAL_CONDITIONS = 10;

/** One condition as the `goal_condition` partial's context (structure only; values are bound). */
export interface GoalConditionContext {
  id: string;
  kind: 'param' | 'field' | 'itemField' | 'itemParam';
  item: boolean;
  keyRef: string;
  fieldSql: string;
  itemField: string;
  op: string;
  numeric: boolean;
}

/**
 * A goal's conditions as template contexts and bound values in the slots `@cN_key`, `@cN_s`,
 * `@cN_n`, `@cN_n2`, `@cN_list`, `@cN_nums`, with the funnel's typing rules (sql/funnel.sql): a
 * numeric operator, or eq / neq / in with only numbers, compares the parameter as a number.
 */
export function goalConditions(where: readonly Condition[]): {
  contexts: GoalConditionContext[];
  params: Record<string, unknown>;
} {
  if (where.length > MAX_GOAL_CONDITIONS) {
    throw new Error(`at most ${MAX_GOAL_CONDITIONS} goal conditions`);
  }
  const params: Record<string, unknown> = {};
  for (let n = 1; n <= MAX_GOAL_CONDITIONS; n++) {
    for (const suffix of ['key', 's', 'n', 'n2']) params[`c${n}_${suffix}`] = null;
    params[`c${n}_list`] = [];
    params[`c${n}_nums`] = [];
  }
  const contexts = where.map((c, i): GoalConditionContext => {
    const id = `c${i + 1}`;
    const values = c.values ?? (c.value === undefined ? [] : [c.value]);
    const numeric =
      ['gt', 'gte', 'lt', 'lte', 'between'].includes(c.op) ||
      (['eq', 'neq', 'in'].includes(c.op) && values.every((v) => typeof v === 'number'));
    let kind: GoalConditionContext['kind'] = 'param';
    let key = '';
    let fieldSql = '';
    let itemField = '';
    if (c.field !== undefined) {
      kind = 'field';
      fieldSql = FIELD_SQL[c.field] as string;
    } else if (c.item !== undefined) {
      if ((ITEM_FIELDS as readonly string[]).includes(c.item)) {
        kind = 'itemField';
        itemField = c.item;
      } else {
        kind = 'itemParam';
        key = c.item;
      }
    } else {
      key = c.param as string;
    }
    params[`${id}_key`] = key || null;
    if (c.op === 'in') {
      if (numeric) params[`${id}_nums`] = values.map(Number);
      else params[`${id}_list`] = values.map(String);
    } else if (c.op === 'between') {
      params[`${id}_n`] = Number(values[0]);
      params[`${id}_n2`] = Number(values[1]);
    } else if (numeric) {
      params[`${id}_n`] = Number(values[0]);
    } else {
      params[`${id}_s`] = String(values[0]);
    }
    return {
      id,
      kind,
      item: kind === 'itemField' || kind === 'itemParam',
      keyRef: `@${id}_key`,
      fieldSql,
      itemField,
      op: c.op,
      numeric,
    };
  });
  return { contexts, params };
}
