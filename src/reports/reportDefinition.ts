import { z } from 'zod';
import { personaRefSchema } from '../analyses/map/mapSpec.js';
import { MAX_PERSONAS } from '../analyses/personas/personaSpec.js';
import { lookbackSchema, TOUCHPOINTS } from '../analyses/attribution/attributionSpec.js';
import { MODELS } from '../analyses/attribution/models/index.js';
import { dateRangeSchema } from '../sql/vocabulary/dateRange.js';
import { identitySchema } from '../sql/vocabulary/identity.js';
import { conditionSchema } from '../sql/vocabulary/condition.js';
import { funnelSpecSchema } from '../analyses/funnel/funnelSpec.js';
import { parseWith } from '../errors/parseWith.js';
import { refuseDuplicateSegments, segmentSchema } from '../sql/vocabulary/segment.js';
import { valueSourceSchema } from '../analyses/goals/goal.js';
import { nextStepSpecSchema } from '../analyses/nextStep/nextStepSpec.js';
import { predictSpecSchema } from '../analyses/predict/predictSpec.js';
import { pathsSpecSchema } from '../analyses/paths/pathsSpec.js';
import { RELATIVE_RANGES } from './relativeDateRange.js';

const isZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

export const reportDateRangeSchema = z.union([z.enum(RELATIVE_RANGES), dateRangeSchema], {
  error: `expected one of ${RELATIVE_RANGES.join(', ')} or { start, end } dates`,
});
export type ReportDateRange = z.infer<typeof reportDateRangeSchema>;

/** The funnel a section draws: the funnel spec without its date range, which the report sets. */
// A fresh object from the shape: zod refuses omit() on a schema with refinements; parseFunnelSpec re-checks them.
/**
 * Whose journey a section counts; absent means blended, as in the analyses, and stays absent in
 * the stored definition (the analyses' own schema would write the default into it).
 */
const sectionIdentity = identitySchema.unwrap().optional();

const funnelSectionSpec = z.object(funnelSpecSchema.shape).omit({ dateRange: true }).strict();

/** Paths as the Sankey draws them: few steps and nodes, or the chart stops being readable on A4. */
const pathsSectionSpec = z
  .object(pathsSpecSchema.shape)
  .omit({ dateRange: true, includeIntraday: true })
  .extend({
    steps: z
      .number()
      .int()
      .min(2, 'expected 2 to 6 steps')
      .max(6, 'expected 2 to 6 steps')
      .default(4),
    topK: z.number().int().min(1, 'expected 1 to 8').max(8, 'expected 1 to 8').default(5),
  })
  .strict();

/** Next step with the report's goal unless the section names another. */
const nextStepSectionSpec = z
  .object(nextStepSpecSchema.shape)
  .omit({ dateRange: true, includeIntraday: true })
  .extend({ goal: nextStepSpecSchema.shape.goal.optional() })
  .strict();

/** A prediction at the report's last day, with the report's goal unless the section names another. */
const predictSectionSpec = z
  .object(predictSpecSchema.shape)
  .omit({ asOf: true, includeIntraday: true, table: true })
  .extend({ goal: predictSpecSchema.shape.goal.optional() })
  .strict();

/**
 * The conversion goal the report counts: a saved goal by name, or one of its own (an event, the
 * conditions a goal event must meet, where its value comes from). `{event, name}` alone is what
 * definitions held before goals had conditions, and counts as it did.
 */
const reportGoalSchema = z.union(
  [
    z.string().min(1).max(200),
    z
      .object({
        event: EVENT,
        name: z.string().max(100).optional(),
        where: z.array(conditionSchema).max(10, 'expected at most 10 conditions').optional(),
        value: valueSourceSchema.optional(),
      })
      .strict(),
  ],
  { error: 'expected a saved goal name or { event, where?, value?, name? }' },
);
export type GoalRef = z.infer<typeof reportGoalSchema>;

export const sectionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('kpi_summary'), title: z.string().max(200).optional() }).strict(),
  z.object({ type: z.literal('data_quality'), title: z.string().max(200).optional() }).strict(),
  z
    .object({
      type: z.literal('funnel'),
      title: z.string().max(200).optional(),
      funnel: funnelSectionSpec,
    })
    .strict(),
  z
    .object({
      type: z.literal('trended_funnel'),
      title: z.string().max(200).optional(),
      funnel: funnelSectionSpec,
      interval: z.enum(['day', 'week']).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('stages'),
      title: z.string().max(200).optional(),
      identity: sectionIdentity,
    })
    .strict(),
  z
    .object({
      type: z.literal('journey_map'),
      title: z.string().max(200).optional(),
      identity: sectionIdentity,
      /** Saved personas by name, or inline; answered beside all users. */
      personas: z
        .array(personaRefSchema)
        .max(MAX_PERSONAS, `expected at most ${MAX_PERSONAS} personas`)
        .default([]),
      minSupport: z.number().int().min(1).max(1_000_000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('journey_sankey'),
      title: z.string().max(200).optional(),
      paths: pathsSectionSpec.prefault({}),
    })
    .strict(),
  z
    .object({
      type: z.literal('next_step'),
      title: z.string().max(200).optional(),
      /** How many nodes (the most travelled) the table lists. */
      nodes: z.number().int().min(1, 'expected 1 to 20').max(20, 'expected 1 to 20').default(8),
      nextStep: nextStepSectionSpec.prefault({}),
    })
    .strict(),
  z
    .object({
      type: z.literal('prediction'),
      title: z.string().max(200).optional(),
      predict: predictSectionSpec.prefault({}),
    })
    .strict(),
  z
    .object({
      type: z.literal('retention'),
      title: z.string().max(200).optional(),
      period: z.enum(['week', 'month']).optional(),
      periods: z.number().int().min(1).max(12).optional(),
    })
    .strict(),
  // Attribution: the models side by side, and the top conversion paths.
  z
    .object({
      type: z.literal('attribution_table'),
      title: z.string().max(200).optional(),
      identity: sectionIdentity,
      touchpoint: z.enum(TOUCHPOINTS).optional(),
      lookback: lookbackSchema.optional(),
      model: z.enum(MODELS).optional(),
    })
    .strict(),
  // What each touchpoint earns against its imported ad cost, by model.
  z
    .object({
      type: z.literal('touchpoint_value'),
      title: z.string().max(200).optional(),
      identity: sectionIdentity,
      touchpoint: z.enum(TOUCHPOINTS).optional(),
      lookback: lookbackSchema.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('conversion_paths'),
      title: z.string().max(200).optional(),
      identity: sectionIdentity,
      touchpoint: z.enum(TOUCHPOINTS).optional(),
      lookback: lookbackSchema.optional(),
      top: z.number().int().min(1).max(50).optional(),
    })
    .strict(),
]);
export type SectionDefinition = z.infer<typeof sectionSchema>;
export const SECTION_TYPES = sectionSchema.options.map((o) => o.shape.type.value);

export const reportDefinitionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a lowercase id like weekly-journeys'),
    title: z.string().min(1).max(200),
    owner: z.string().max(200).optional(),
    timeZone: z
      .string()
      .refine(isZone, 'expected an IANA time zone like Europe/Berlin')
      .default('UTC'),
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'expected a locale like en-GB')
      .default('en-US'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected an ISO currency code like EUR')
      .default('USD'),
    goal: reportGoalSchema,
    /** Further goals the KPI summary lists beside the main one, each with its conversions and rate. */
    goals: z.array(reportGoalSchema).max(4, 'expected at most 4 further goals').default([]),
    /** Every section reads only the events meeting all of these. */
    filters: z.array(conditionSchema).max(10, 'expected at most 10 filters').default([]),
    /** Compared beside all users in the KPI summary and the funnels. */
    segments: z.array(segmentSchema).max(4, 'expected at most 4 segments').default([]),
    dateRange: reportDateRangeSchema.default('last_7_days'),
    comparison: z.enum(['previous_period', 'previous_year', 'none']).default('previous_period'),
    includeIntraday: z.boolean().default(false),
    sections: z.array(sectionSchema).min(1, 'expected at least one section').max(20),
  })
  .strict()
  .superRefine((definition, ctx) => refuseDuplicateSegments(definition.segments, ctx));
export type ReportDefinition = z.infer<typeof reportDefinitionSchema>;
export type ReportDefinitionInput = z.input<typeof reportDefinitionSchema>;

/** A definition from parsed YAML/JSON; a bad one is an InputError naming each field's path. */
export const parseReportDefinition = (input: unknown): ReportDefinition =>
  parseWith(reportDefinitionSchema, input);
