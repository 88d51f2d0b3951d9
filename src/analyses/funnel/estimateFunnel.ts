import type { Engine } from '../../engines/engine.js';
import { dryRunEngine } from '../../engines/dryRunEngine.js';
import { InputError } from '../../errors/errors.js';
import type { Goal } from '../goals/goal.js';
import { resolveGoalSteps } from '../goals/goal.js';
import { funnelQuery } from './funnelQuery.js';
import type { FunnelSpec } from './funnelSpec.js';
import { runFunnel } from './runFunnel.js';

/**
 * The bytes a funnel would process on BigQuery, before it runs: every query it runs (segments,
 * trend, time to convert, next actions) dry-run and added up. Other engines answer null, once the
 * spec is known to render.
 */
export async function estimateFunnel(
  engine: Engine,
  spec: FunnelSpec,
  goals: ReadonlyMap<string, Goal>,
): Promise<{ engine: Engine['kind']; bytesProcessed: number | null }> {
  try {
    funnelQuery(resolveGoalSteps(spec, goals));
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error), 'steps');
  }
  if (engine.kind !== 'bigquery') return { engine: engine.kind, bytesProcessed: null };
  const dry = await runFunnel(dryRunEngine(engine), spec, { goals });
  return { engine: engine.kind, bytesProcessed: dry.bytesProcessed };
}
