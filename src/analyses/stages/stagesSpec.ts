import { z } from 'zod';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { identitySchema } from '../../sql/vocabulary/identity.js';
import { conditionSchema } from '../../sql/vocabulary/condition.js';
import { parseWith } from '../../errors/parseWith.js';
import { stageMapSchema } from './stageMap.js';

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

export const stagesSpecSchema = z
  .object({
    dateRange: dateRangeSchema,
    identity: identitySchema,
    includeIntraday: z.boolean().default(false),
    /** The stage map inline; the default map when absent. */
    stageMap: stageMapSchema.optional(),
    /** The conversion event: sessions without it are where exit pages are counted. */
    goal: EVENT.default('purchase'),
    /** Conditions a goal event must meet (a report goal's), sharing the stage map's condition slots. */
    goalWhere: z.array(conditionSchema).max(10).optional(),
    topPages: z.number().int().min(1).max(100).default(10),
  })
  .strict();
export type StagesSpec = z.infer<typeof stagesSpecSchema>;
export type StagesSpecInput = z.input<typeof stagesSpecSchema>;

export const parseStagesSpec = (input: unknown): StagesSpec => parseWith(stagesSpecSchema, input);
