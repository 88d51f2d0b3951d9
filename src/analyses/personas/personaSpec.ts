import { z } from 'zod';
import { parseWith } from '../../errors/parseWith.js';
import { eventNameSchema } from '../../sql/vocabulary/condition.js';
import { CHANNEL_GROUPS } from '../../sql/vocabulary/channelRules.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const list = z.array(z.string().min(1).max(200)).min(1, 'expected at least one value').max(50);

/** A user property's condition, on its value at any event of the user in the range. */
export const userPropertyConditionSchema = z
  .object({
    key: z.string().regex(KEY, 'expected a user property key'),
    op: z.enum(['eq', 'neq', 'in', 'contains', 'gt', 'gte', 'lt', 'lte']),
    value: z.union([z.string().max(200), z.number()]).optional(),
    values: list.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.op === 'in') {
      if (!c.values)
        ctx.addIssue({ code: 'custom', path: ['values'], message: 'in: expected values' });
    } else if (c.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op}: expected a value` });
    } else if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && typeof c.value !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op}: expected a number` });
    }
  });
export type UserPropertyCondition = z.infer<typeof userPropertyConditionSchema>;

/** At most this many user property and "did" conditions per persona (the query's bound slots). */
export const MAX_PROPERTY_CONDITIONS = 3;
export const MAX_DID_CONDITIONS = 3;
export const MAX_PERSONAS = 4;

/**
 * A persona: a named, described set of users. Every condition given must hold (AND); values within
 * one list are alternatives (OR). First touch, device and geo are read from the user's first event
 * in the range; user properties from any event; behaviour from all the user's events in the range.
 */
export const personaSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,59}$/,
        'expected 1 to 60 letters, digits, spaces, _ . -',
      ),
    description: z.string().max(500).default(''),
    firstTouch: z
      .object({
        channel: z
          .array(z.enum(CHANNEL_GROUPS, { error: `expected one of ${CHANNEL_GROUPS.join(', ')}` }))
          .min(1, 'expected at least one value')
          .max(CHANNEL_GROUPS.length)
          .optional(),
        source: list.optional(),
        medium: list.optional(),
        campaign: list.optional(),
      })
      .strict()
      .optional(),
    device: z
      .object({
        category: list.optional(),
        operatingSystem: list.optional(),
        browser: list.optional(),
      })
      .strict()
      .optional(),
    geo: z
      .object({ country: list.optional(), region: list.optional(), city: list.optional() })
      .strict()
      .optional(),
    userProperties: z.array(userPropertyConditionSchema).max(MAX_PROPERTY_CONDITIONS).optional(),
    behaviour: z
      .object({
        /** Did the event at least `atLeast` times in the range. */
        did: z
          .array(
            z
              .object({
                event: eventNameSchema,
                atLeast: z.number().int().min(1).max(10000).default(1),
              })
              .strict(),
          )
          .max(MAX_DID_CONDITIONS)
          .optional(),
        /** Reached this stage of the stage map in use (checked against it when the map runs). */
        reachedStage: z.string().min(1).max(100).optional(),
        /** Converted on this goal event at least once in the range. */
        converted: eventNameSchema.optional(),
        /** The `value` parameter summed over the user's `event` events is over this. */
        valueOver: z
          .object({ value: z.number().finite(), event: eventNameSchema.default('purchase') })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const groups = [p.firstTouch, p.device, p.geo, p.behaviour];
    const some =
      groups.some((g) => g !== undefined && Object.values(g).some((v) => v !== undefined)) ||
      (p.userProperties?.length ?? 0) > 0;
    if (!some)
      ctx.addIssue({ code: 'custom', path: [], message: 'expected at least one condition' });
  });
export type Persona = z.infer<typeof personaSchema>;
export type PersonaInput = z.input<typeof personaSchema>;

/** A persona from untrusted input; errors name the field's path after `prefix`. */
export const parsePersona = (input: unknown, prefix = ''): Persona =>
  parseWith(personaSchema, input, prefix);
