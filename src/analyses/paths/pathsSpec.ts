import { z } from 'zod';
import { dateRangeSchema } from '../common/dateRange.js';
import { InputError } from '../../errors/errors.js';
import { parseWith } from '../funnel/funnelSpec.js';
import type { Goal } from '../goals/goal.js';

export const NODE_TYPES = ['event', 'page_path', 'page_title', 'channel'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

/** A start or end point: an event name, `{event}` or `{goal: name}` (resolved from saved goals). */
export const anchorSchema = z.union([
  EVENT,
  z
    .object({ event: EVENT.optional(), goal: z.string().min(1).max(200).optional() })
    .strict()
    .refine((a) => (a.event === undefined) !== (a.goal === undefined), {
      message: 'expected exactly one of event, goal',
    }),
]);
export type AnchorSpec = z.infer<typeof anchorSchema>;

/** A URL (or title) cleaning rule: every match of `pattern` (RE2/JS syntax) becomes `replace`. */
export const cleanRuleSchema = z
  .object({
    pattern: z
      .string()
      .min(1)
      .max(500)
      .refine((p) => {
        try {
          new RegExp(p, 'g');
          return true;
        } catch {
          return false;
        }
      }, 'expected a valid regular expression'),
    replace: z.string().max(500).default(''),
  })
  .strict();
export type CleanRule = z.infer<typeof cleanRuleSchema>;

export const pathsSpecSchema = z
  .object({
    dateRange: dateRangeSchema,
    includeIntraday: z.boolean().default(false),
    scope: z.enum(['session', 'user']).default('session'),
    nodeType: z.enum(NODE_TYPES).default('event'),
    start: anchorSchema.nullable().default(null),
    end: anchorSchema.nullable().default(null),
    steps: z
      .number()
      .int()
      .min(1, 'expected 1 to 20 steps')
      .max(20, 'expected 1 to 20 steps')
      .default(5),
    topK: z.number().int().min(1, 'expected 1 to 50').max(50, 'expected 1 to 50').default(5),
    collapseRepeats: z.boolean().default(true),
    exclude: z.array(EVENT).max(100).default([]),
    clean: z.array(cleanRuleSchema).max(20).default([]),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.start !== null && spec.end !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: 'expected start or end, not both (forward from start, or backward from end)',
      });
    }
  });
export type PathsSpec = z.infer<typeof pathsSpecSchema>;
export type PathsSpecInput = z.input<typeof pathsSpecSchema>;

export const parsePathsSpec = (input: unknown): PathsSpec => parseWith(pathsSpecSchema, input);

/**
 * The event name an anchor stands for. A goal with conditions cannot be an anchor yet (paths anchor
 * on event names only); it is refused rather than silently widened to its bare event.
 */
export function anchorEvent(
  anchor: AnchorSpec,
  path: string,
  goals: ReadonlyMap<string, Goal>,
): string {
  if (typeof anchor === 'string') return anchor;
  if (anchor.event !== undefined) return anchor.event;
  const name = anchor.goal as string;
  const goal = goals.get(name);
  if (!goal) {
    throw new InputError(
      `${path}.goal: no goal named ${JSON.stringify(name)}${goals.size ? ` (known: ${[...goals.keys()].join(', ')})` : ''}`,
      `${path}.goal`,
    );
  }
  if (goal.where && goal.where.length > 0) {
    throw new InputError(
      `${path}.goal: goal ${JSON.stringify(name)} has conditions; paths anchor on an event name only`,
      `${path}.goal`,
    );
  }
  return goal.event;
}

/** Applies the rules in order, each to every match; `\1` in a replacement names group 1 (BigQuery's spelling), `$` is literal. */
export function cleanValue(value: string, rules: readonly CleanRule[]): string {
  let out = value;
  for (const rule of rules) {
    const replacement = rule.replace.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
    out = out.replace(new RegExp(rule.pattern, 'g'), replacement);
  }
  return out;
}
