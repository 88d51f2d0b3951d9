import type { Engine } from '../../engines/engine.js';
import type { Row } from '../../engines/normalize.js';
import { InputError } from '../../errors/errors.js';
import { runQuery } from '../../sql/runQuery.js';
import { dateRangeParams } from '../common/dateRange.js';
import type { Goal } from '../goals/goal.js';
import { anchorEvent } from '../paths/pathsSpec.js';
import { cleaningMap } from '../paths/runPaths.js';
import { ruleSlots } from '../stages/runStages.js';
import { DEFAULT_STAGE_MAP, parseStageMap } from '../stages/stageMap.js';
import { absorptionProbabilities } from './absorbingChain.js';
import type { NextStepSpec } from './nextStepSpec.js';

export type NextKind = 'node' | 'conversion' | 'exit';

export interface NextNode {
  readonly node: string;
  readonly kind: NextKind;
  readonly transitions: number;
  readonly probability: number;
}

export interface NodeEstimate {
  readonly node: string;
  /** Distinct journeys that passed through the node: the support behind its estimates. */
  readonly journeys: number;
  readonly transitions: number;
  /** Null below `minSupport`, as are the next nodes (left empty). */
  readonly conversionProbability: number | null;
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

/** Runs a next-step spec: transitions in SQL, the absorbing chain solved here. */
export async function runNextStep(
  engine: Engine,
  spec: NextStepSpec,
  options: { goals?: ReadonlyMap<string, Goal>; timeoutMs?: number } = {},
): Promise<NextStepResult> {
  const goal = anchorEvent(spec.goal, 'goal', options.goals ?? new Map());
  const stageMap =
    spec.nodeType === 'stage' ? (spec.stageMap ?? parseStageMap(DEFAULT_STAGE_MAP)) : undefined;
  const slots = ruleSlots(stageMap ?? { stages: [] });
  const clean =
    spec.nodeType === 'stage'
      ? { clean_map: [], clean_sep: '|' }
      : await cleaningMap(engine, { ...spec, nodeType: spec.nodeType }, options.timeoutMs);
  const run = await runQuery(
    engine,
    'next_step',
    {
      ...dateRangeParams(spec.dateRange, spec.includeIntraday),
      goal_event: goal,
      exclude: spec.exclude,
      ...clean,
      ...slots.params,
    },
    {
      context: {
        nodeType: spec.nodeType,
        scope: spec.scope,
        collapse: spec.collapseRepeats,
        clean: spec.clean.length > 0,
        rules: stageMap ? slots.rules : [],
        rulesDesc: stageMap ? [...slots.rules].reverse() : [],
      },
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
  return nextStepFromRows(spec, goal, rows as typeof run.rows, run.sql);
}
