import type { Engine } from '../../engines/engine.js';
import { hasListFunctions } from '../../sql/dialect.js';
import { runQuery, type QueryRun } from '../../sql/runQuery.js';
import { funnelQuery, type FunnelQueryOptions } from './funnelQuery.js';
import type { FunnelSpec } from './funnelSpec.js';

/**
 * Runs sql/funnel.sql in the fastest form the engine and the spec allow: the first-match form where
 * the target has list functions and no form was asked for, run again in the general form when an
 * event's order key did not fit the first-match form's packed key (`exact_keys = false`).
 * Returns the answering run and the bytes every run processed.
 */
export async function runFunnelQuery(
  engine: Engine,
  spec: FunnelSpec,
  options: Omit<FunnelQueryOptions, 'firstMatch'> & { readonly timeoutMs?: number },
): Promise<{ run: QueryRun; bytes: (number | null)[] }> {
  const { timeoutMs, ...queryOptions } = options;
  const timeout = timeoutMs === undefined ? {} : { timeoutMs };
  const firstMatch = hasListFunctions(engine.target) && options.form === undefined;
  const q = funnelQuery(spec, { ...queryOptions, firstMatch });
  const first = await runQuery(engine, 'funnel', q.params, { context: q.context, ...timeout });
  if (!first.rows.some((r) => r.exact_keys === false))
    return { run: first, bytes: [first.bytesProcessed] };
  const general = funnelQuery(spec, queryOptions);
  const run = await runQuery(engine, 'funnel', general.params, {
    context: general.context,
    ...timeout,
  });
  return { run, bytes: [first.bytesProcessed, run.bytesProcessed] };
}
