import type { Engine } from '../../engines/engine.js';
import { withIdentity } from '../../sql/eventScope.js';
import type { Row } from '../../engines/normalize.js';
import { runQuery } from '../../sql/runQuery.js';
import { dateRangeParams } from '../../sql/vocabulary/dateRange.js';
import { conditionSlots } from '../../sql/vocabulary/conditionSlots.js';
import {
  DEFAULT_STAGE_MAP,
  MAX_RULES,
  MAX_STAGE_CONDITIONS,
  parseStageMap,
  ruleConditions,
  type StageMap,
} from './stageMap.js';
import type { StagesSpec } from './stagesSpec.js';

export interface StageResult {
  readonly name: string;
  readonly users: number;
  readonly shareOfUsers: number;
}

export interface Progression {
  readonly from: string;
  readonly to: string;
  /** Users who reached `to` at or after reaching `from`. */
  readonly users: number;
  /** Of the users who reached `from`. */
  readonly rate: number;
  readonly medianSecondsBetween: number | null;
}

export interface StagesResult {
  readonly users: number;
  readonly eventsWithoutUser: number;
  readonly stages: StageResult[];
  readonly progression: Progression[];
  readonly painPoints: {
    /** The consecutive pair losing the most users (ties: the earlier pair). */
    readonly largestDrop: { from: string; to: string; lost: number; rate: number } | null;
    readonly unconvertedSessions: number;
    /** Last page of sessions without the goal, most frequent first. */
    readonly exitPages: { page: string; sessions: number; share: number }[];
  };
  readonly sql: string;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);

/**
 * The rules' bound slots (@rN_event, @rN_occurrence; unused slots inert) and template context, their
 * conditions in the condition slots given (shared with a goal's in sql/next_step.sql).
 */
export function ruleSlots(
  map: StageMap,
  slots = conditionSlots(MAX_STAGE_CONDITIONS, 'stage map'),
) {
  const rules = map.stages.flatMap((stage, s) =>
    stage.rules.map((rule, j) => ({ stage: s + 1, rule, path: `stages[${s}].rules[${j}]` })),
  );
  const params: Record<string, unknown> = {};
  for (let n = 1; n <= MAX_RULES; n += 1) {
    const r = rules[n - 1]?.rule;
    params[`r${n}_event`] = r?.event ?? '';
    params[`r${n}_occurrence`] = r?.occurrence ?? 1;
  }
  const context = rules.map((x, i) => ({
    n: i + 1,
    stage: x.stage,
    where: ruleConditions(x.rule).map((c, k) => slots.add(c, `${x.path}.where[${k}]`)),
  }));
  return { params: { ...params, ...slots.params }, rules: context };
}

/** The query's template context and bound values. */
export function stagesQuery(spec: StagesSpec, map: StageMap) {
  const conditions = conditionSlots(MAX_STAGE_CONDITIONS, 'stage map and goal');
  const slots = ruleSlots(map, conditions);
  const goalWhere = (spec.goalWhere ?? []).map((c, k) => conditions.add(c, `goalWhere[${k}]`));
  return {
    params: {
      ...dateRangeParams(spec.dateRange, spec.includeIntraday),
      goal_event: spec.goal,
      top_pages: spec.topPages,
      ...slots.params,
      ...conditions.params,
    },
    context: { rules: slots.rules, goalWhere },
  };
}

export function stagesFromRows(map: StageMap, rows: readonly Row[], sql: string): StagesResult {
  const of = (type: string) => rows.filter((r) => r.row_type === type);
  const single = (type: string) => Number(of(type)[0]?.n ?? 0);
  const users = single('users');
  const reached = (k: number) => Number(of('stage').find((r) => Number(r.stage) === k)?.n ?? 0);
  const stages = map.stages.map((s, i) => ({
    name: s.name,
    users: reached(i + 1),
    shareOfUsers: ratio(reached(i + 1), users),
  }));
  const progression = map.stages.slice(0, -1).map((s, i) => {
    const row = of('progress').find((r) => Number(r.stage) === i + 1);
    const n = Number(row?.n ?? 0);
    return {
      from: s.name,
      to: (map.stages[i + 1] as { name: string }).name,
      users: n,
      rate: ratio(n, reached(i + 1)),
      medianSecondsBetween:
        row?.median_s === null || row?.median_s === undefined
          ? null
          : round(Number(row.median_s), 3),
    };
  });
  let largestDrop: StagesResult['painPoints']['largestDrop'] = null;
  progression.forEach((p, i) => {
    const lost = reached(i + 1) - p.users;
    if (lost > 0 && (largestDrop === null || lost > largestDrop.lost)) {
      largestDrop = { from: p.from, to: p.to, lost, rate: ratio(lost, reached(i + 1)) };
    }
  });
  const unconvertedSessions = single('unconverted_sessions');
  return {
    users,
    eventsWithoutUser: single('events_without_user'),
    stages,
    progression,
    painPoints: {
      largestDrop,
      unconvertedSessions,
      exitPages: of('exit_page').map((r) => ({
        page: String(r.label),
        sessions: Number(r.n),
        share: ratio(Number(r.n), unconvertedSessions),
      })),
    },
    sql,
  };
}

/** Users per stage, progression, median time between stages and pain points. */
export async function runStages(
  baseEngine: Engine,
  spec: StagesSpec,
  options: { timeoutMs?: number } = {},
): Promise<StagesResult> {
  const engine = withIdentity(baseEngine, spec.identity);
  const map = spec.stageMap ?? parseStageMap(DEFAULT_STAGE_MAP);
  const query = stagesQuery(spec, map);
  const run = await runQuery(engine, 'stages', query.params, {
    context: query.context,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return stagesFromRows(map, run.rows, run.sql);
}
