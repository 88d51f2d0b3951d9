import { z } from 'zod';
import { parseWith } from '../../errors/parseWith.js';
import { dateSchema } from '../../sql/vocabulary/dateRange.js';
import { anchorSchema } from '../paths/pathsSpec.js';
import { stageMapSchema } from '../stages/stageMap.js';

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

/** Events that fire beside almost every other one and say nothing about intent. */
export const NOISE_EVENTS = ['user_engagement', 'scroll', 'session_start', 'first_visit'] as const;

const days = (max: number) =>
  z
    .number()
    .int(`expected a whole number of days, 1 to ${max}`)
    .min(1, `expected 1 to ${max} days`)
    .max(max, `expected 1 to ${max} days`);

export const predictSpecSchema = z
  .object({
    /** The conversion: an event name, `{event, where}` or `{goal: name}`. */
    goal: anchorSchema,
    /** What a step is: an event, a page (path), a session's channel, a stage of the stage map. */
    nodeType: z.enum(['event', 'page_path', 'channel', 'stage']).default('event'),
    /** The stages a user's current stage is read from (the default map when absent). */
    stageMap: stageMapSchema.optional(),
    /** Events that bear no node (event nodes only; other nodes are pages, channels, stages). */
    exclude: z
      .array(EVENT)
      .max(100)
      .default([...NOISE_EVENTS]),
    collapseRepeats: z.boolean().default(true),
    /** The longest context: the last 1, 2 or 3 steps. */
    maxOrder: z.number().int().min(1, 'expected 1, 2 or 3').max(3, 'expected 1, 2 or 3').default(3),
    /** Fewest training positions for a context to be used; below, back off to a shorter one. */
    minSupport: z
      .number()
      .int('expected a whole number')
      .min(1, 'expected at least 1')
      .max(1_000_000_000)
      .default(30),
    /** H: the goal and the next step are predicted within this many days. */
    horizonDays: days(90).default(7),
    /** The model is fitted on this many days before the cutoff. */
    trainDays: days(365).default(28),
    /** Users active in this many days before the cutoff are predicted. */
    activeDays: days(90).default(7),
    /** The last day of data (UTC) the prediction sees; the cutoff is the end of it. */
    asOf: dateSchema.optional(),
    includeIntraday: z.boolean().default(true),
    /**
     * Where the predictions are also written, created or replaced each run: on BigQuery a
     * `project.dataset.table` (for ads audiences), in the DuckDB file a table name.
     */
    table: z
      .string()
      .regex(
        /^[A-Za-z0-9_.:-]{1,1100}$/,
        'expected a table name (on BigQuery project.dataset.table)',
      )
      .optional(),
  })
  .strict();
export type PredictSpec = z.infer<typeof predictSpecSchema>;
export type PredictSpecInput = z.input<typeof predictSpecSchema>;

export const parsePredictSpec = (input: unknown): PredictSpec =>
  parseWith(predictSpecSchema, input);
