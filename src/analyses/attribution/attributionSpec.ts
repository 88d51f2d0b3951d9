import { z } from 'zod';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { identitySchema } from '../../sql/vocabulary/identity.js';
import { valueSourceSchema } from '../goals/goal.js';
import { conditionSchema } from '../../sql/vocabulary/condition.js';
import { durationMicros, durationSchema } from '../../sql/vocabulary/duration.js';
import { parseWith } from '../../errors/parseWith.js';

export const TOUCHPOINTS = ['channel', 'source_medium', 'campaign'] as const;
export type Touchpoint = (typeof TOUCHPOINTS)[number];

/** GA4's attribution settings allow lookbacks up to 90 days; longer ones are refused, not clipped. */
const MAX_LOOKBACK_US = 90 * 86400e6;

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

// zod runs refinements after a failed regex too: only a well-formed duration is measured, so a bad
// one keeps the regex's path-named message.
export const lookbackSchema = durationSchema.refine(
  (d) => !durationSchema.safeParse(d).success || durationMicros(d) <= MAX_LOOKBACK_US,
  'expected at most 90d',
);

export const attributionGoalSchema = z
  .object({
    event: EVENT,
    where: z.array(conditionSchema).max(10).optional(),
    // Where a conversion's revenue comes from; `purchase` defaults to the order revenue.
    value: valueSourceSchema.optional(),
  })
  .strict();

export const attributionSpecSchema = z
  .object({
    dateRange: dateRangeSchema,
    identity: identitySchema,
    includeIntraday: z.boolean().default(false),
    goal: attributionGoalSchema,
    lookback: lookbackSchema.default('30d'),
    touchpoint: z.enum(TOUCHPOINTS).default('channel'),
    halfLife: durationSchema.default('7d'),
    topPaths: z
      .number()
      .int()
      .min(1, 'expected 1 to 100')
      .max(100, 'expected 1 to 100')
      .default(10),
  })
  .strict();
export type AttributionSpec = z.infer<typeof attributionSpecSchema>;
export type AttributionSpecInput = z.input<typeof attributionSpecSchema>;

export const parseAttributionSpec = (input: unknown): AttributionSpec =>
  parseWith(attributionSpecSchema, input);

/** The goal's value source, `purchase` defaulting to `ecommerce.purchase_revenue`. */
export const valueSourceOf = (goal: AttributionSpec['goal']): string =>
  goal.value ?? (goal.event === 'purchase' ? 'ecommerce.purchase_revenue' : 'none');

/** What a touch is called when the session came with no campaign data. */
export const DIRECT_TOUCH: Record<Touchpoint, string> = {
  channel: 'Direct',
  source_medium: '(direct) / (none)',
  campaign: '(direct)',
};
