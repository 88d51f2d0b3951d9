import { z } from 'zod';
import { dateRangeSchema } from '../common/dateRange.js';
import { InputError, formatIssuePath } from '../../errors/errors.js';

/** `90s`, `30m`, `2h`, `7d`: how long, in microseconds (event_timestamp's unit). */
const DURATION = /^([1-9][0-9]{0,5})(s|m|h|d)$/;
const UNIT_US: Record<string, number> = { s: 1e6, m: 60e6, h: 3600e6, d: 86400e6 };
export const durationSchema = z.string().regex(DURATION, 'expected a duration like 30m, 2h, 7d');

export function durationMicros(duration: string): number {
  const match = DURATION.exec(duration);
  if (!match) throw new InputError(`expected a duration like 30m, 2h, 7d, got ${duration}`);
  return Number(match[1]) * (UNIT_US[match[2] as string] as number);
}

/** Top-level columns a `field` condition may name, as SQL expressions (an allow-list). */
export const FIELD_SQL: Record<string, string> = {
  platform: 'platform',
  stream_id: 'stream_id',
  'device.category': 'device.category',
  'device.operating_system': 'device.operating_system',
  'device.mobile_brand_name': 'device.mobile_brand_name',
  'device.language': 'device.language',
  'device.web_info.browser': 'device.web_info.browser',
  'geo.country': 'geo.country',
  'geo.region': 'geo.region',
  'geo.city': 'geo.city',
  'geo.continent': 'geo.continent',
  'traffic_source.source': 'traffic_source.source',
  'traffic_source.medium': 'traffic_source.medium',
  'traffic_source.name': 'traffic_source.name',
  'ecommerce.purchase_revenue': 'ecommerce.purchase_revenue',
  'ecommerce.transaction_id': 'ecommerce.transaction_id',
  user_id: 'user_id',
};

/** Item columns an `item` condition may name directly; any other key is an item parameter. */
export const ITEM_FIELDS = [
  'item_id',
  'item_name',
  'item_brand',
  'item_variant',
  'item_category',
  'item_category2',
  'item_category3',
  'item_list_name',
  'coupon',
  'price',
  'quantity',
] as const;

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

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

export const stepSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    event: EVENT.optional(),
    goal: z.string().min(1).max(200).optional(),
    where: z.array(conditionSchema).max(10).optional(),
    within: durationSchema.optional(),
    directly: z.boolean().optional(),
  })
  .strict()
  .refine((s) => (s.event === undefined) !== (s.goal === undefined), {
    message: 'expected exactly one of event, goal',
  });
export type StepSpec = z.infer<typeof stepSchema>;

export const BREAKDOWNS = [
  'device_category',
  'country',
  'platform',
  'channel',
  'source_medium',
  'campaign',
  'landing_page',
  'first_user_channel',
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export const exclusionSchema = z
  .object({
    event: EVENT,
    where: z.array(conditionSchema).max(10).optional(),
    between: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
  })
  .strict()
  .refine((x) => x.between[0] < x.between[1], {
    message: 'expected between [i, j] with i < j',
    path: ['between'],
  });

/** A named condition on units: users (or sessions) with at least one event in the range meeting it. */
export const segmentSchema = z
  .object({
    name: z.string().min(1).max(100),
    scope: z.enum(['user', 'session']).default('user'),
    event: EVENT.optional(),
    where: z.array(conditionSchema).max(10).optional(),
  })
  .strict()
  .refine((s) => s.event !== undefined || (s.where?.length ?? 0) > 0, {
    message: 'expected an event or at least one where condition',
  });
export type Segment = z.infer<typeof segmentSchema>;

export const funnelSpecSchema = z
  .object({
    dateRange: dateRangeSchema,
    includeIntraday: z.boolean().optional(),
    scope: z.enum(['user', 'session']).default('user'),
    type: z.enum(['closed', 'open']).default('closed'),
    window: durationSchema.optional(),
    steps: z.array(stepSchema).min(2, 'expected 2 to 20 steps').max(20, 'expected 2 to 20 steps'),
    breakdown: z.enum(BREAKDOWNS).optional(),
    breakdownLimit: z.number().int().min(1).max(15).default(5),
    exclusions: z.array(exclusionSchema).max(5).optional(),
    timeToConvert: z
      .object({ toStep: z.number().int().min(2, 'expected a step number from 2').optional() })
      .strict()
      .optional(),
    trend: z
      .object({ interval: z.enum(['day', 'week']).default('day') })
      .strict()
      .optional(),
    segments: z.array(segmentSchema).max(4, 'expected at most 4 segments').optional(),
    nextAction: z
      .object({
        by: z.enum(['event', 'page']).default('event'),
        top: z
          .number()
          .int('expected 1 to 10')
          .min(1, 'expected 1 to 10')
          .max(10, 'expected 1 to 10')
          .default(5),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    refuseDuplicateSegments(spec.segments ?? [], ctx);
    const toStep = spec.timeToConvert?.toStep;
    if (toStep !== undefined && toStep > spec.steps.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeToConvert', 'toStep'],
        message: `expected a step number from 2 to ${spec.steps.length}`,
      });
    }
    if (spec.timeToConvert && spec.type === 'open') {
      // An open funnel's chains may enter at any step, so "from entry" has no common start.
      ctx.addIssue({
        code: 'custom',
        path: ['timeToConvert'],
        message: 'time to convert needs a closed funnel (open funnels enter at any step)',
      });
    }
    spec.exclusions?.forEach((x, i) => {
      if (x.between[1] > spec.steps.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['exclusions', i, 'between'],
          message: `expected step numbers from 1 to ${spec.steps.length}`,
        });
      }
    });
  });
export type FunnelSpec = z.infer<typeof funnelSpecSchema>;
export type FunnelSpecInput = z.input<typeof funnelSpecSchema>;

/**
 * A union's issues as the issues of its branch that got past its own type (an object whose field
 * is wrong), so `start.where[0].op` is named rather than `start: Invalid input`.
 */
function unionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const branch = issue.errors.find((b) => b.some((i) => i.path.length > 0));
  if (!branch) return [issue];
  return branch.flatMap((i) => unionBranch({ ...i, path: [...issue.path, ...i.path] }));
}

/** Zod's first issues as one InputError naming each bad field's path. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, prefix = ''): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap(unionBranch).slice(0, 5);
  const first = issues[0];
  const at = (path: readonly PropertyKey[]) => {
    const p = formatIssuePath(path);
    return prefix && p ? `${prefix}.${p}` : prefix || p;
  };
  const message = issues.map((i) => `${at(i.path) || '(spec)'}: ${i.message}`).join('; ');
  throw new InputError(message, at(first?.path ?? []));
}

export const parseFunnelSpec = (input: unknown): FunnelSpec => parseWith(funnelSpecSchema, input);

/** Segments are told apart by name in every answer: a second one of a name is refused at its path. */
export function refuseDuplicateSegments(
  segments: readonly { name: string }[],
  ctx: z.RefinementCtx,
): void {
  const names = segments.map((s) => s.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: ['segments', i, 'name'],
        message: 'duplicate segment name',
      });
    }
  });
}
