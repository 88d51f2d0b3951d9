import type { Engine } from '../../engines/engine.js';
import { withIdentity } from '../../sql/eventScope.js';
import { runQuery } from '../../sql/runQuery.js';
import { conditionSlots } from '../../sql/vocabulary/conditionSlots.js';
import { dateRangeParams } from '../../sql/vocabulary/dateRange.js';
import { personaSlots } from '../personas/personaSlots.js';
import type { Persona } from '../personas/personaSpec.js';
import { ruleSlots } from '../stages/runStages.js';
import {
  DEFAULT_STAGE_MAP,
  MAX_STAGE_CONDITIONS,
  parseStageMap,
  type StageMap,
} from '../stages/stageMap.js';
import type { JourneyMapResult } from './journeyMap.js';
import { mapFromRows } from './mapFromRows.js';
import type { MapSpec } from './mapSpec.js';

/** sql/journey_map.sql's bound values and template context for a spec and its resolved personas. */
export function mapQuery(spec: MapSpec, map: StageMap, personas: readonly Persona[]) {
  const conditions = conditionSlots(MAX_STAGE_CONDITIONS, 'stage map and goal');
  const rules = ruleSlots(map, conditions);
  const goalWhere = (spec.goalWhere ?? []).map((c, k) => conditions.add(c, `goalWhere[${k}]`));
  const slots = personaSlots(personas, map);
  return {
    params: {
      ...dateRangeParams(spec.dateRange, spec.includeIntraday),
      goal_event: spec.goal,
      stage_count: map.stages.length,
      top_touchpoints: spec.topTouchpoints,
      top_pages: spec.topPages,
      long_gap_s: spec.longGapSeconds,
      ...rules.params,
      ...conditions.params,
      ...slots.params,
    },
    context: { rules: rules.rules, goalWhere, personas: slots.context },
  };
}

/**
 * The journey map of a stage map (the default one when the spec has none) for all users and up to
 * four personas (already resolved from their names), in one query.
 */
export async function runMap(
  engine: Engine,
  spec: MapSpec,
  personas: readonly Persona[],
  options: { timeoutMs?: number } = {},
): Promise<JourneyMapResult> {
  const map = spec.stageMap ?? parseStageMap(DEFAULT_STAGE_MAP);
  const query = mapQuery(spec, map, personas);
  const run = await runQuery(withIdentity(engine, spec.identity), 'journey_map', query.params, {
    context: query.context,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return mapFromRows(spec, map, personas, run.rows, run.sql);
}
