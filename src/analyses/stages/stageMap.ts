import { stringify } from 'yaml';
import { z } from 'zod';
import { conditionSchema, type Condition } from '../../sql/vocabulary/condition.js';
import { parseWith } from '../../errors/parseWith.js';

const EVENT = z.string().regex(/^[A-Za-z0-9_.\- ]{1,100}$/, 'expected an event name');
const KEY = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'expected a parameter key');

/**
 * A rule: an event with conditions (`where`, read as a funnel step's: param, item or field, and an
 * op), met at the user's `occurrence`-th matching event (2 = a second purchase or a returning
 * session). `param` + `values` is short for `where: [{ param, op: "in", values }]`.
 */
export const stageRuleSchema = z
  .object({
    event: EVENT,
    where: z.array(conditionSchema).max(10).optional(),
    param: KEY.optional(),
    values: z.array(z.string().max(1000)).min(1).max(100).optional(),
    occurrence: z.number().int().min(1).max(1000).default(1),
  })
  .strict()
  .refine((r) => (r.param === undefined) === (r.values === undefined), {
    message: 'expected param and values together',
    path: ['values'],
  });
export type StageRule = z.infer<typeof stageRuleSchema>;

/** At most this many rules, and conditions, over all stages (the queries' bound slots). */
export const MAX_RULES = 24;
export const MAX_STAGE_CONDITIONS = 30;

/** A rule's conditions, its `param` / `values` shorthand first. */
export const ruleConditions = (rule: StageRule): Condition[] => [
  ...(rule.param !== undefined && rule.values !== undefined
    ? [{ param: rule.param, op: 'in' as const, values: rule.values }]
    : []),
  ...(rule.where ?? []),
];

export const stageMapSchema = z
  .object({
    stages: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            rules: z.array(stageRuleSchema).min(1, 'expected at least one rule').max(MAX_RULES),
          })
          .strict(),
      )
      .min(2, 'expected 2 to 10 stages')
      .max(10, 'expected 2 to 10 stages'),
  })
  .strict()
  .superRefine((map, ctx) => {
    const total = map.stages.reduce((n, s) => n + s.rules.length, 0);
    if (total > MAX_RULES) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages'],
        message: `at most ${MAX_RULES} rules in all, got ${total}`,
      });
    }
    const conditions = map.stages.reduce(
      (n, s) => n + s.rules.reduce((m, r) => m + ruleConditions(r).length, 0),
      0,
    );
    if (conditions > MAX_STAGE_CONDITIONS) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages'],
        message: `at most ${MAX_STAGE_CONDITIONS} conditions in all, got ${conditions}`,
      });
    }
    const seen = new Set<string>();
    map.stages.forEach((s, i) => {
      if (seen.has(s.name))
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i, 'name'],
          message: `duplicate stage ${s.name}`,
        });
      seen.add(s.name);
    });
  });
export type StageMap = z.infer<typeof stageMapSchema>;
export type StageMapInput = z.input<typeof stageMapSchema>;

export const parseStageMap = (input: unknown, prefix = ''): StageMap =>
  parseWith(stageMapSchema, input, prefix);

const events = (...names: string[]) => names.map((event) => ({ event }));

/**
 * The default map, from GA4's standard (recommended and automatic) events: Awareness (arrived),
 * Consideration (looked at products or started a lead), Decision (checkout or conversion), Retention
 * (a second purchase or a returning session), Loyalty (a third purchase).
 */
export const DEFAULT_STAGE_MAP: StageMapInput = {
  stages: [
    { name: 'Awareness', rules: events('first_visit', 'session_start', 'page_view') },
    {
      name: 'Consideration',
      rules: events(
        'view_item',
        'view_item_list',
        'select_item',
        'view_search_results',
        'add_to_cart',
        'add_to_wishlist',
        'form_start',
        'generate_lead',
      ),
    },
    {
      name: 'Decision',
      rules: events('begin_checkout', 'add_shipping_info', 'add_payment_info', 'purchase'),
    },
    {
      name: 'Retention',
      rules: [
        { event: 'purchase', occurrence: 2 },
        { event: 'session_start', occurrence: 2 },
      ],
    },
    { name: 'Loyalty', rules: [{ event: 'purchase', occurrence: 3 }] },
  ],
};

/** The YAML copy in examples/stages/default-stages.yaml is this text (a test keeps them equal). */
export const defaultStageMapYaml = (): string =>
  `# Generated from DEFAULT_STAGE_MAP in src/analyses/stages/stageMap.ts; do not edit by hand.\n${stringify(DEFAULT_STAGE_MAP)}`;
