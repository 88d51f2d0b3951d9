import type { Row } from './normalize.js';

/** A bound parameter value: DATE as 'YYYY-MM-DD', TIMESTAMP as an ISO string, arrays of scalars. */
export type ParamValue = string | number | boolean | null | string[] | number[];
export type Params = Record<string, ParamValue>;

/** Parameter types, in GoogleSQL's names; every query file declares its parameters with them. */
export const PARAM_TYPES = [
  'STRING',
  'INT64',
  'FLOAT64',
  'BOOL',
  'DATE',
  'TIMESTAMP',
  'ARRAY<STRING>',
  'ARRAY<INT64>',
  'ARRAY<FLOAT64>',
] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export interface QueryOptions {
  /** The query's name (its file in `sql/`): shown in errors and, on BigQuery, a job label. */
  readonly name: string;
  /** The report a query runs for, a BigQuery job label. */
  readonly report?: string;
  readonly timeoutMs?: number;
  /** Declared types of the parameters; BigQuery needs them for NULLs and arrays. */
  readonly paramTypes?: Readonly<Record<string, ParamType>>;
  /** BigQuery only: validate and estimate bytes without running. */
  readonly dryRun?: boolean;
}

export interface QueryResult {
  readonly rows: Row[];
  readonly columns: { name: string; type: string }[];
  /** Bytes the engine read: BigQuery's processed bytes; DuckDB: null. */
  readonly bytesProcessed: number | null;
  readonly elapsedMs: number;
}

/** Where rendered SQL will run: the dialect and, for BigQuery, the export's dataset. */
export type SqlTarget =
  | { readonly kind: 'duckdb' }
  | {
      readonly kind: 'bigquery';
      readonly project: string;
      readonly dataset: string;
      /** `project.dataset.table` of imported offline events, read beside the export. */
      readonly offlineTable?: string;
      /** `project.dataset.table` of imported ad costs. */
      readonly costsTable?: string;
    };

/** One wrapper per warehouse, with its guardrails in one place. */
export interface Engine {
  readonly kind: SqlTarget['kind'];
  readonly target: SqlTarget;
  /** Runs one SELECT with named, bound parameters; `sql` is already rendered for this engine. */
  query(sql: string, params: Params, options: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}
