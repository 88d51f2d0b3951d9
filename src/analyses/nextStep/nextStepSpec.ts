import { z } from 'zod';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { identitySchema } from '../../sql/vocabulary/identity.js';
import { parseWith } from '../../errors/parseWith.js';
import { anchorSchema, cleanRuleSchema, NODE_TYPES } from '../paths/pathsSpec.js';
import { stageMapSchema } from '../stages/stageMap.js';

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

export const nextStepSpecSchema = z
  .object({
    dateRange: dateRangeSchema,
    identity: identitySchema,
    includeIntraday: z.boolean().default(false),
    scope: z.enum(['session', 'user']).default('session'),
    nodeType: z.enum([...NODE_TYPES, 'stage']).default('page_path'),
    /** For stage nodes: the stage map (the default one when absent). */
    stageMap: stageMapSchema.optional(),
    /** The conversion: an event name, `{event}` or `{goal: name}` (absorbing state (conversion)). */
    goal: anchorSchema,
    /** How many next nodes to list per node. */
    top: z.number().int().min(1, 'expected 1 to 50').max(50, 'expected 1 to 50').default(5),
    /** Fewest journeys through a node for its estimates to be shown. */
    minSupport: z.number().int().min(1, 'expected at least 1').max(1_000_000_000).default(30),
    collapseRepeats: z.boolean().default(true),
    exclude: z.array(EVENT).max(100).default([]),
    clean: z.array(cleanRuleSchema).max(20).default([]),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.nodeType === 'stage' && spec.clean.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['clean'],
        message: 'stage nodes take no cleaning rules',
      });
    }
    if (spec.nodeType !== 'stage' && spec.stageMap !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stageMap'], message: 'only for nodeType stage' });
    }
  });
export type NextStepSpec = z.infer<typeof nextStepSpecSchema>;
export type NextStepSpecInput = z.input<typeof nextStepSpecSchema>;

export const parseNextStepSpec = (input: unknown): NextStepSpec =>
  parseWith(nextStepSpecSchema, input);
