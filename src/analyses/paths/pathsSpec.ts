import { z } from 'zod';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { identitySchema } from '../../sql/vocabulary/identity.js';
import { InputError } from '../../errors/errors.js';
import { conditionSchema, type Condition } from '../../sql/vocabulary/condition.js';
import { parseWith } from '../../errors/parseWith.js';
import type { Goal } from '../goals/goal.js';

export const NODE_TYPES = ['event', 'page_path', 'page_title', 'channel'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');

/** At most this many conditions on one anchor (a goal's own plus the anchor's). */
export const MAX_ANCHOR_CONDITIONS = 10;

/**
 * A start or end point: an event name, `{event, where?}` or `{goal: name, where?}` (a saved goal's
 * event and conditions, plus the anchor's own): the conditions read as a funnel step's.
 */
export const anchorSchema = z.union([
  EVENT,
  z
    .object({
      event: EVENT.optional(),
      goal: z.string().min(1).max(200).optional(),
      where: z.array(conditionSchema).max(MAX_ANCHOR_CONDITIONS).optional(),
    })
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
    identity: identitySchema,
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
  .strict();
export type PathsSpec = z.infer<typeof pathsSpecSchema>;
export type PathsSpecInput = z.input<typeof pathsSpecSchema>;

export const parsePathsSpec = (input: unknown): PathsSpec => parseWith(pathsSpecSchema, input);

/** An anchor resolved: the event and every condition on it. */
export interface Anchor {
  readonly event: string;
  readonly where: readonly Condition[];
}

/** The event and conditions an anchor stands for (a named goal's first, then the anchor's own). */
export function resolveAnchor(
  anchor: AnchorSpec,
  path: string,
  goals: ReadonlyMap<string, Goal>,
): Anchor {
  if (typeof anchor === 'string') return { event: anchor, where: [] };
  if (anchor.event !== undefined) return { event: anchor.event, where: anchor.where ?? [] };
  const name = anchor.goal as string;
  const goal = goals.get(name);
  if (!goal) {
    throw new InputError(
      `${path}.goal: no goal named ${JSON.stringify(name)}${goals.size ? ` (known: ${[...goals.keys()].join(', ')})` : ''}`,
      `${path}.goal`,
    );
  }
  const where = [...(goal.where ?? []), ...(anchor.where ?? [])];
  if (where.length > MAX_ANCHOR_CONDITIONS) {
    throw new InputError(
      `${path}.where: goal ${JSON.stringify(name)} and the anchor have ${where.length} conditions (at most ${MAX_ANCHOR_CONDITIONS})`,
      `${path}.where`,
    );
  }
  return { event: goal.event, where };
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
