import { conditionSlots } from '../../sql/vocabulary/conditionSlots.js';
import type { Goal } from '../goals/goal.js';
import { MAX_NEXT_CONDITIONS } from '../nextStep/runNextStep.js';
import { resolveAnchor } from '../paths/pathsSpec.js';
import { ruleSlots } from '../stages/runStages.js';
import { DEFAULT_STAGE_MAP, parseStageMap } from '../stages/stageMap.js';
import type { PredictSpec } from './predictSpec.js';

const DAY_US = 86_400_000_000;
const dayOf = (us: number) => new Date(us / 1000).toISOString().slice(0, 10);

/** The moments one fit-and-predict turns on, in microseconds since the epoch (UTC). */
export interface PredictWindow {
  /** Nothing at or after it is seen when fitting or placing users. */
  readonly cutoffUs: number;
  readonly trainFromUs: number;
  readonly activeFromUs: number;
  readonly horizonUs: number;
}

/** The window ending at the end of day `asOf` (UTC), or `shiftDays` earlier (a backtest). */
export function predictWindow(spec: PredictSpec, asOf: string, shiftDays = 0): PredictWindow {
  const cutoffUs = Date.parse(`${asOf}T00:00:00Z`) * 1000 + DAY_US - shiftDays * DAY_US;
  return {
    cutoffUs,
    trainFromUs: cutoffUs - spec.trainDays * DAY_US,
    activeFromUs: cutoffUs - spec.activeDays * DAY_US,
    horizonUs: spec.horizonDays * DAY_US,
  };
}

/**
 * Both queries' template context and bound values. Export days are the property's calendar, so
 * the range read is one day wider each side than the UTC window; timestamps bound it exactly.
 */
export function predictQuery(
  spec: PredictSpec,
  window: PredictWindow,
  goals: ReadonlyMap<string, Goal> = new Map(),
) {
  const goal = resolveAnchor(spec.goal, 'goal', goals);
  const stageMap = spec.stageMap ?? parseStageMap(DEFAULT_STAGE_MAP);
  const conditions = conditionSlots(MAX_NEXT_CONDITIONS, 'predict spec');
  const goalWhere = goal.where.map((c, i) => conditions.add(c, `goal.where[${i}]`));
  const slots = ruleSlots(stageMap, conditions);
  const readFrom = Math.min(window.trainFromUs, window.activeFromUs) - DAY_US;
  const base = {
    include_intraday: spec.includeIntraday,
    goal_event: goal.event,
    exclude: spec.nodeType === 'event' ? spec.exclude : [],
    cutoff_us: window.cutoffUs,
    horizon_us: window.horizonUs,
    ...slots.params,
  };
  const context = {
    nodeType: spec.nodeType,
    collapse: spec.collapseRepeats,
    goalWhere,
    rules: slots.rules,
    rulesDesc: [...slots.rules].reverse(),
  };
  return {
    goal,
    stageMap,
    context,
    contexts: {
      ...base,
      start_date: dayOf(readFrom),
      end_date: dayOf(window.cutoffUs),
      train_from_us: window.trainFromUs,
    },
    users: {
      ...base,
      start_date: dayOf(readFrom),
      end_date: dayOf(window.cutoffUs + window.horizonUs),
      active_from_us: window.activeFromUs,
    },
  };
}
