import type { Row } from './normalize.js';

/** A bound parameter value. Arrays are ARRAY<STRING|INT64|FLOAT64> parameters. */
export type ParamValue = string | number | boolean | null | string[] | number[];
export type Params = Record<string, ParamValue>;

export interface QueryOptions {
  /** Shown in errors and (on BigQuery) as a job label. */
  readonly name: string;
  /** The report a query runs for, a BigQuery job label. */
  readonly report?: string;
  readonly timeoutMs?: number;
}

export interface QueryResult {
  readonly rows: Row[];
  readonly columns: { name: string; type: string }[];
  /** Bytes the engine read; BigQuery's billed estimate, DuckDB: null. */
  readonly bytesProcessed: number | null;
  readonly elapsedMs: number;
}

export type EngineKind = 'duckdb' | 'bigquery';

/** One wrapper per warehouse, with its guardrails in one place. */
export interface Engine {
  readonly kind: EngineKind;
  /** Runs one SELECT with named, bound parameters; `sql` is already rendered for this engine. */
  query(sql: string, params: Params, options: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}
