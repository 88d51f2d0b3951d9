import type { Engine, QueryResult } from '../engines/engine.js';
import { resolveParams } from './paramValues.js';
import { loadQuery } from './queryFiles.js';
import { eventScopeOf } from './eventScope.js';
import { renderQuery } from './renderQuery.js';

export interface RunQueryOptions {
  readonly context?: Record<string, unknown>;
  readonly report?: string;
  readonly timeoutMs?: number;
  readonly dryRun?: boolean;
}

export interface QueryRun extends QueryResult {
  /** The SQL as it ran on this engine (parameters as markers). */
  readonly sql: string;
}

/**
 * Renders a `sql/` query for the engine, checks its parameters, and runs it with them bound. An
 * engine from scopeEngine() narrows the events the query reads to its scope.
 */
export async function runQuery(
  engine: Engine,
  name: string,
  params: Record<string, unknown>,
  options: RunQueryOptions = {},
): Promise<QueryRun> {
  const query = loadQuery(name);
  const bound = resolveParams(query, params);
  const rendered = renderQuery(query, engine.target, options.context, eventScopeOf(engine));
  const result = await engine.query(rendered.sql, { ...bound, ...rendered.scopeParams }, {
    name,
    paramTypes: rendered.paramTypes,
    ...(options.report === undefined ? {} : { report: options.report }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
  });
  return { ...result, sql: rendered.sql };
}
