import { z } from 'zod';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { identitySchema } from '../../sql/vocabulary/identity.js';
import { conditionSchema } from '../../sql/vocabulary/condition.js';
import { parseWith } from '../../errors/parseWith.js';

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

export const retentionSpecSchema = z
  .object({
    dateRange: dateRangeSchema,
    identity: identitySchema,
    includeIntraday: z.boolean().default(false),
    period: z.enum(['week', 'month']).default('week'),
    /** Later periods to report after the cohort's own (period 0). */
    periods: z.number().int().min(1, 'expected 1 to 52').max(52, 'expected 1 to 52').default(8),
    /** `first_visit` (GA4's new users), or `first_event`: any user's first event in the range. */
    cohortBy: z.enum(['first_visit', 'first_event']).default('first_visit'),
    goal: EVENT.default('purchase'),
    /** Conditions a goal event must meet (a report goal's). */
    goalWhere: z.array(conditionSchema).max(10).optional(),
  })
  .strict();
export type RetentionSpec = z.infer<typeof retentionSpecSchema>;
export type RetentionSpecInput = z.input<typeof retentionSpecSchema>;

export const parseRetentionSpec = (input: unknown): RetentionSpec =>
  parseWith(retentionSpecSchema, input);
