import type { Engine } from '../../engines/engine.js';
import { withIdentity } from '../../sql/eventScope.js';
import type { Row } from '../../engines/normalize.js';
import { InputError } from '../../errors/errors.js';
import { runQuery } from '../../sql/runQuery.js';
import { dateRangeParams } from '../../sql/vocabulary/dateRange.js';
import type { Goal } from '../goals/goal.js';
import { conditionSlots } from '../../sql/vocabulary/conditionSlots.js';
import { MAX_ANCHOR_CONDITIONS, resolveAnchor } from '../paths/pathsSpec.js';
import { cleaningMap } from '../paths/runPaths.js';
import { ruleSlots } from '../stages/runStages.js';
import { DEFAULT_STAGE_MAP, MAX_STAGE_CONDITIONS, parseStageMap } from '../stages/stageMap.js';
import { absorptionProbabilities } from './absorbingChain.js';
import { wilsonInterval } from './wilsonInterval.js';
import type { NextStepSpec } from './nextStepSpec.js';

export type NextKind = 'node' | 'conversion' | 'exit';

export interface NextNode {
  readonly node: string;
  readonly kind: NextKind;
  readonly transitions: number;
  readonly probability: number;
}

/** Counted, not modelled: of the journeys that reached a node, the share with the goal afterwards. */
export interface ReachedEstimate {
  readonly journeys: number;
  readonly converted: number;
  readonly probability: number;
  /** Wilson score interval at 95%. */
  readonly low: number;
  readonly high: number;
}

export interface NodeEstimate {
  readonly node: string;
  /** Distinct journeys that passed through the node: the support behind its estimates. */
  readonly journeys: number;
  readonly transitions: number;
  /** The chain's estimate. Null below `minSupport`, as are the next nodes (left empty). */
  readonly conversionProbability: number | null;
  /** Null below `minSupport` (its support counts journeys in the whole stream, goal included). */
  readonly reached: ReachedEstimate | null;
  readonly next: NextNode[];
}

export interface NextStepResult {
  readonly unit: 'sessions' | 'users';
  readonly goal: string;
  readonly journeys: number;
  readonly conversions: number;
  readonly eventsWithoutUser: number;
  /** Absorption probability from (start): the chain's overall conversion probability. */
  readonly conversionProbability: number | null;
  readonly minSupport: number;
  readonly nodes: NodeEstimate[];
  readonly sql: string;
}

/** The goal's conditions and the stage map's, the query's bound slots @c1_* .. @c40_*. */
export const MAX_NEXT_CONDITIONS = MAX_ANCHOR_CONDITIONS + MAX_STAGE_CONDITIONS;

/** Beyond this, the dense linear system gets slow: clean or exclude to merge nodes. */
export const MAX_NODES = 1500;
const START = '\u0000start';
const CONVERSION = '\u0000conversion';
const EXIT = '\u0000exit';
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Estimates from the aggregated transitions (rows of sql/next_step.sql). */
export function nextStepFromRows(
  spec: NextStepSpec,
  goal: string,
  rows: readonly Row[],
  sql: string,
): NextStepResult {
  const key = (kind: unknown, node: unknown) =>
    kind === 'start'
      ? START
      : kind === 'conversion'
        ? CONVERSION
        : kind === 'exit'
          ? EXIT
          : String(node);
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows.filter((x) => x.row_type === 'edge')) {
    const from = key(r.from_kind, r.from_node);
    const out = counts.get(from) ?? new Map<string, number>();
    out.set(key(r.to_kind, r.to_node), Number(r.transitions));
    counts.set(from, out);
  }
  const support = new Map(
    rows
      .filter((x) => x.row_type === 'support')
      .map((r) => [key(r.from_kind, r.from_node), Number(r.journeys)] as const),
  );
  const reachedRows = new Map(
    rows.filter((x) => x.row_type === 'reached').map((r) => [String(r.from_node), r] as const),
  );
  const reachedOf = (node: string): ReachedEstimate | null => {
    const r = reachedRows.get(node);
    if (!r) return null;
    const journeys = Number(r.journeys);
    const converted = Number(r.transitions);
    const { low, high } = wilsonInterval(converted, journeys);
    return {
      journeys,
      converted,
      probability: round(converted / journeys),
      low: round(low),
      high: round(high),
    };
  };
  const states = [...counts.keys()];
  if (states.length > MAX_NODES + 1) {
    throw new InputError(
      `nodeType: ${states.length - 1} distinct nodes (at most ${MAX_NODES}); merge nodes with clean rules or exclude events`,
      'nodeType',
    );
  }
  const p = absorptionProbabilities(states, counts, CONVERSION);
  const outcome = (o: string) =>
    Number(rows.find((r) => r.row_type === 'outcome' && r.from_node === o)?.journeys ?? 0);
  const nodes: NodeEstimate[] = states
    .filter((s) => s !== START)
    .map((s) => {
      const out = counts.get(s) as Map<string, number>;
      const transitions = [...out.values()].reduce((x, y) => x + y, 0);
      const journeys = support.get(s) ?? 0;
      const shown = journeys >= spec.minSupport;
      const next = shown
        ? [...out.entries()]
            .map(([to, c]) => ({
              node: to === CONVERSION ? '(conversion)' : to === EXIT ? '(exit)' : to,
              kind: (to === CONVERSION ? 'conversion' : to === EXIT ? 'exit' : 'node') as NextKind,
              transitions: c,
              probability: round(c / transitions),
            }))
            .sort(
              (a, b) =>
                b.transitions - a.transitions || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0),
            )
            .slice(0, spec.top)
        : [];
      return {
        node: s,
        journeys,
        transitions,
        conversionProbability: shown ? round(p.get(s) as number) : null,
        reached: shown ? reachedOf(s) : null,
        next,
      };
    })
    .sort((a, b) => b.journeys - a.journeys || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const journeys = outcome('exit') + outcome('conversion');
  return {
    unit: spec.scope === 'session' ? 'sessions' : 'users',
    goal,
    journeys,
    conversions: outcome('conversion'),
    eventsWithoutUser: Number(
      rows.find((r) => r.row_type === 'events_without_user')?.journeys ?? 0,
    ),
    conversionProbability: journeys > 0 ? round(p.get(START) ?? 0) : null,
    minSupport: spec.minSupport,
    nodes,
    sql,
  };
}

/** The query's template context and bound values for a spec (cleaning map given separately). */
export function nextStepQuery(spec: NextStepSpec, goals: ReadonlyMap<string, Goal> = new Map()) {
  const goal = resolveAnchor(spec.goal, 'goal', goals);
  const stageMap =
    spec.nodeType === 'stage' ? (spec.stageMap ?? parseStageMap(DEFAULT_STAGE_MAP)) : undefined;
  // The goal's conditions take the first slots, the stage rules' the next ones.
  const conditions = conditionSlots(MAX_NEXT_CONDITIONS, 'next-step spec');
  const goalWhere = goal.where.map((c, i) => conditions.add(c, `goal.where[${i}]`));
  const slots = ruleSlots(stageMap ?? { stages: [] }, conditions);
  return {
    goal,
    stageMap,
    params: {
      ...dateRangeParams(spec.dateRange, spec.includeIntraday),
      goal_event: goal.event,
      exclude: spec.exclude,
      ...slots.params,
    },
    context: {
      nodeType: spec.nodeType,
      scope: spec.scope,
      collapse: spec.collapseRepeats,
      clean: spec.clean.length > 0,
      goalWhere,
      rules: stageMap ? slots.rules : [],
      rulesDesc: stageMap ? [...slots.rules].reverse() : [],
    },
  };
}

/** Runs a next-step spec: transitions in SQL, the absorbing chain solved here. */
export async function runNextStep(
  baseEngine: Engine,
  spec: NextStepSpec,
  options: { goals?: ReadonlyMap<string, Goal>; timeoutMs?: number } = {},
): Promise<NextStepResult> {
  const engine = withIdentity(baseEngine, spec.identity);
  const { goal, stageMap, params, context } = nextStepQuery(spec, options.goals);
  const clean =
    spec.nodeType === 'stage'
      ? { clean_map: [], clean_sep: '|' }
      : await cleaningMap(engine, { ...spec, nodeType: spec.nodeType }, options.timeoutMs);
  const run = await runQuery(
    engine,
    'next_step',
    { ...params, ...clean },
    {
      context,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    },
  );
  // Stage nodes come back as the stage's number.
  const name = (node: unknown) =>
    stageMap && typeof node === 'string' ? (stageMap.stages[Number(node) - 1]?.name ?? node) : node;
  const rows = run.rows.map((r) => ({
    ...r,
    from_node: name(r.from_node),
    to_node: name(r.to_node),
  }));
  return nextStepFromRows(spec, goal.event, rows as typeof run.rows, run.sql);
}
