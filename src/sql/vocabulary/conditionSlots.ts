import { InputError } from '../../errors/errors.js';
import { FIELD_SQL, ITEM_FIELDS } from './fieldMap.js';
import { type Condition } from './condition.js';

/** One condition's template context for `sql/partials/condition.sql` (structure only, no values). */
export interface CondContext {
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
 * The bound slots `@c1_*` .. `@c<max>_*` of a query's conditions (funnel steps, path anchors, stage
 * rules): every unused slot is bound inert, each condition fills the next one. `what` names the
 * query in the error when a spec has more conditions than the query declares. `prefix` names
 * another family of slots (report filters `@f1_*`) for queries that also hold `@c*` conditions.
 */
export function conditionSlots(max: number, what: string, prefix = 'c') {
  const params: Record<string, unknown> = {};
  for (let n = 1; n <= max; n++) {
    for (const suffix of ['key', 's', 'n', 'n2']) params[`${prefix}${n}_${suffix}`] = null;
    params[`${prefix}${n}_list`] = [];
    params[`${prefix}${n}_nums`] = [];
  }
  let used = 0;
  const add = (c: Condition, path: string): CondContext => {
    used += 1;
    if (used > max) throw new InputError(`${path}: at most ${max} conditions in one ${what}`, path);
    const id = `${prefix}${used}`;
    const values = c.values ?? (c.value === undefined ? [] : [c.value]);
    const numeric =
      ['gt', 'gte', 'lt', 'lte', 'between'].includes(c.op) ||
      (['eq', 'neq', 'in'].includes(c.op) && values.every((v) => typeof v === 'number'));
    let kind: CondContext['kind'] = 'param';
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
  };
  return { params, add };
}
