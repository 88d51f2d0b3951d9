import { EXAMPLE_BIGQUERY, pasteableSql } from '../../sql/pasteableSql.js';
import type { Identity } from '../../sql/vocabulary/identity.js';
import type { PageDeps } from './pageDeps.js';

/**
 * An analysis's query as BigQuery runs it, values written in, reading events as the analysis's
 * identity joins them: this service's dataset, or an example's.
 */
export function bigquerySql(
  deps: PageDeps,
  name: string,
  query: { params: Record<string, unknown>; context?: Record<string, unknown> },
  identity: Identity,
): string {
  const target = deps.engine.target.kind === 'bigquery' ? deps.engine.target : EXAMPLE_BIGQUERY;
  return pasteableSql(name, query, target, { filters: [], identity });
}
