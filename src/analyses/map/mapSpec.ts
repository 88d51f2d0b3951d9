import { z } from 'zod';
import { parseWith } from '../../errors/parseWith.js';
import { conditionSchema, eventNameSchema } from '../../sql/vocabulary/condition.js';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { identitySchema } from '../../sql/vocabulary/identity.js';
import { MAX_PERSONAS, personaSchema } from '../personas/personaSpec.js';
import { stageMapSchema } from '../stages/stageMap.js';

/** A persona inline, or the name of a saved one. */
export const personaRefSchema = z.union([z.string().min(1).max(60), personaSchema]);

export const mapSpecSchema = z
  .object({
    dateRange: dateRangeSchema,
    includeIntraday: z.boolean().default(false),
    /** Whose journey each event belongs to: people across devices by default, as every analysis. */
    identity: identitySchema,
    /** The stage map inline; the default map when absent. */
    stageMap: stageMapSchema.optional(),
    goal: eventNameSchema.default('purchase'),
    goalWhere: z.array(conditionSchema).max(10).optional(),
    /** Up to four personas, answered side by side with all users. */
    personas: z
      .array(personaRefSchema)
      .max(MAX_PERSONAS, `expected at most ${MAX_PERSONAS} personas`)
      .default([]),
    /** A moment of truth needs this many users who did it, and as many at the stage who did not. */
    minSupport: z.number().int().min(1).max(1_000_000).default(30),
    momentsPerStage: z.number().int().min(1).max(10).default(3),
    topTouchpoints: z.number().int().min(1).max(200).default(25),
    topPages: z.number().int().min(1).max(50).default(5),
    /** Two events of a session further apart than this are a long gap (a friction signal). */
    longGapSeconds: z.number().int().min(1).max(86_400).default(600),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const names = spec.personas.map((p) => (typeof p === 'string' ? p : p.name));
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['personas', i],
          message: `duplicate persona ${name}`,
        });
      }
    });
  });
export type MapSpec = z.infer<typeof mapSpecSchema>;
export type MapSpecInput = z.input<typeof mapSpecSchema>;

export const parseMapSpec = (input: unknown): MapSpec => parseWith(mapSpecSchema, input);
