import type { SqlTarget } from '../engines/engine.js';
import { inlineParams } from './dialect.js';
import type { EventScope } from './eventScope.js';
import { resolveParams } from './paramValues.js';
import { loadQuery } from './queryFiles.js';
import { renderQuery } from './renderQuery.js';

/** Where a BigQuery rendering reads from when the service runs on its embedded engine. */
export const EXAMPLE_BIGQUERY: SqlTarget = {
  kind: 'bigquery',
  project: 'your-project',
  dataset: 'analytics_123456789',
};

/**
 * A `sql/` query rendered for BigQuery with its values written in, to paste into the BigQuery
 * console (display only: the engines always bind values). `target` is the service's BigQuery
 * target, or EXAMPLE_BIGQUERY's dataset to be replaced by the reader's. `scope` is the run's event
 * scope (its identity, filters, segment), so the text reads the events the run read.
 */
export function pasteableSql(
  name: string,
  query: { params: Record<string, unknown>; context?: Record<string, unknown> },
  target: SqlTarget,
  scope?: EventScope,
): string {
  const file = loadQuery(name);
  const values = resolveParams(file, query.params);
  const rendered = renderQuery(file, target, query.context, scope);
  return inlineParams(
    rendered.sql,
    { ...values, ...rendered.scopeParams },
    rendered.paramTypes,
    target,
  );
}
