import type { Engine } from '../../engines/engine.js';
import type { Goal } from '../goals/goal.js';
import type { PredictSpec } from './predictSpec.js';
import { runPredict, type PredictResult } from './runPredict.js';
import {
  checkPredictionsTable,
  savePredictions,
  type SavedPredictions,
} from './savePredictions.js';

/**
 * Runs the prediction and, when the spec names a table, writes it there; the table name is
 * checked before any query runs, so a bad name costs nothing.
 */
export async function predictToTable(
  engine: Engine,
  spec: PredictSpec,
  options: { goals?: ReadonlyMap<string, Goal>; timeoutMs?: number; now?: Date } = {},
): Promise<PredictResult & { saved?: SavedPredictions }> {
  if (spec.table !== undefined) checkPredictionsTable(engine, spec.table);
  const result = await runPredict(engine, spec, options);
  if (spec.table === undefined) return result;
  return { ...result, saved: await savePredictions(engine, result, spec.table, options.now) };
}
