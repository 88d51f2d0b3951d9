import { z } from 'zod';
import { FIELD_SQL } from './fieldMap.js';

export const OPS = [
  'eq',
  'neq',
  'contains',
  'starts_with',
  'regex',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
] as const;
export type Op = (typeof OPS)[number];

const scalar = z.union([z.string(), z.number()]);
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

export const conditionSchema = z
  .object({
    param: z.string().regex(KEY, 'expected a parameter key').optional(),
    item: z.string().regex(KEY, 'expected an item field or parameter key').optional(),
    field: z
      .string()
      .refine((f) => f in FIELD_SQL, `expected one of ${Object.keys(FIELD_SQL).join(', ')}`)
      .optional(),
    op: z.enum(OPS),
    value: scalar.optional(),
    values: z.array(scalar).min(1).max(100).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const kinds = [c.param, c.item, c.field].filter((x) => x !== undefined).length;
    if (kinds !== 1) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of param, item, field' });
    }
    const numeric = ['gt', 'gte', 'lt', 'lte'].includes(c.op);
    if (c.op === 'in') {
      if (!c.values)
        ctx.addIssue({ code: 'custom', path: ['values'], message: 'in: expected values' });
    } else if (c.op === 'between') {
      if (!c.values || c.values.length !== 2 || c.values.some((v) => typeof v !== 'number')) {
        ctx.addIssue({
          code: 'custom',
          path: ['values'],
          message: 'between: expected two numbers',
        });
      }
    } else if (c.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op}: expected a value` });
    } else if (numeric && typeof c.value !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op}: expected a number` });
    } else if (['contains', 'starts_with', 'regex'].includes(c.op) && typeof c.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op}: expected a string` });
    }
  });
export type Condition = z.infer<typeof conditionSchema>;

/** An event name as the export writes it (also a saved goal's event). */
export const eventNameSchema = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');
