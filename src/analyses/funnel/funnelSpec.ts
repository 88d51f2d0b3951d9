import { z } from 'zod';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { identitySchema } from '../../sql/vocabulary/identity.js';
import { parseWith } from '../../errors/parseWith.js';
import { conditionSchema, eventNameSchema } from '../../sql/vocabulary/condition.js';
import { durationSchema } from '../../sql/vocabulary/duration.js';
import { refuseDuplicateSegments, segmentSchema } from '../../sql/vocabulary/segment.js';

export const stepSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    event: eventNameSchema.optional(),
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
    event: eventNameSchema,
    where: z.array(conditionSchema).max(10).optional(),
    between: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
  })
  .strict()
  .refine((x) => x.between[0] < x.between[1], {
    message: 'expected between [i, j] with i < j',
    path: ['between'],
  });

export const funnelSpecSchema = z
  .object({
    dateRange: dateRangeSchema,
    identity: identitySchema,
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

export const parseFunnelSpec = (input: unknown): FunnelSpec => parseWith(funnelSpecSchema, input);
