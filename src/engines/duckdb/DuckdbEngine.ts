import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBInstance,
  LIST,
  StatementType,
  VARCHAR,
  listValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { QueryError, TimeoutError } from '../../errors/errors.js';
import type { Engine, ParamValue, Params, QueryOptions, QueryResult } from '../engine.js';
import type { Row } from '../normalize.js';
import { normalizeDuckdbValue } from './normalizeDuckdb.js';
import { DUCKDB_MACROS } from './macros.js';

export interface DuckdbEngineOptions {
  /** Report queries never write: the file is opened read-only unless a writer asks. */
  readonly mode?: 'read' | 'write';
  readonly defaultTimeoutMs?: number;
  readonly threads?: number;
}

/**
 * The embedded engine: one DuckDB instance per file, a connection per query closed in `finally`,
 * SELECT only, values bound, no file access or extension installs while serving reports.
 */
export class DuckdbEngine implements Engine {
  readonly kind = 'duckdb' as const;
  readonly target = { kind: 'duckdb' } as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly path: string,
    private readonly options: DuckdbEngineOptions,
  ) {}

  static async open(path: string, options: DuckdbEngineOptions = {}): Promise<DuckdbEngine> {
    const write = options.mode === 'write';
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      // BigQuery sorts NULL as the smallest value: first ascending, last descending.
      default_null_order: 'nulls_first_on_asc_last_on_desc',
      autoload_known_extensions: write ? 'true' : 'false',
    };
    if (!write && path !== ':memory:') config.access_mode = 'READ_ONLY';
    if (!write) config.enable_external_access = 'false';
    if (options.threads) config.threads = String(options.threads);
    try {
      const instance = await DuckDBInstance.create(path, config);
      return new DuckdbEngine(instance, path, options);
    } catch (error) {
      throw explainOpenError(path, error);
    }
  }

  /** Whether this instance may write to the file (opened by a writer, not to serve reports). */
  get writable(): boolean {
    return this.options.mode === 'write' || this.path === ':memory:';
  }

  /** A connection with the BigQuery-compatibility macros defined; the caller closes it. */
  async connect(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    await connection.run(DUCKDB_MACROS);
    return connection;
  }

  async query(sql: string, params: Params, options: QueryOptions): Promise<QueryResult> {
    const started = performance.now();
    const connection = await this.connect();
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 120_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, timeoutMs);
    try {
      const prepared = await connection.prepare(sql).catch((error: unknown) => {
        throw toQueryError(options.name, sql, error);
      });
      if (prepared.statementType !== StatementType.SELECT) {
        throw new QueryError(`query ${options.name} is not a SELECT`, options.name);
      }
      const { values, types } = bindValues(sql, params);
      prepared.bind(values, types);
      const reader = await prepared.runAndReadAll().catch((error: unknown) => {
        if (timedOut) {
          throw new TimeoutError(`query ${options.name} timed out after ${timeoutMs} ms`);
        }
        throw toQueryError(options.name, sql, error);
      });
      const names = reader.columnNames();
      const columnTypes = reader.columnTypes();
      const rows: Row[] = reader.getRowsJS().map((values) => {
        const row: Row = {};
        names.forEach((name, index) => {
          row[name] = normalizeDuckdbValue(values[index], columnTypes[index]);
        });
        return row;
      });
      return {
        rows,
        columns: names.map((name, index) => ({ name, type: String(columnTypes[index]) })),
        bytesProcessed: null,
        elapsedMs: performance.now() - started,
      };
    } finally {
      clearTimeout(timer);
      connection.closeSync();
    }
  }

  async close(): Promise<void> {
    this.instance.closeSync();
  }
}

/** Binds only the parameters the statement names; integers as BIGINT, arrays as typed lists. */
function bindValues(
  sql: string,
  params: Params,
): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const used = new Set([...sql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const name of used) {
    if (!(name in params)) continue;
    const value = params[name] as ParamValue;
    const type = duckdbParamType(value);
    if (type) types[name] = type;
    values[name] = Array.isArray(value) ? listValue(value) : value;
  }
  return { values, types };
}

function duckdbParamType(value: ParamValue): DuckDBType | undefined {
  if (Array.isArray(value)) {
    const numeric = value.length > 0 && value.every((x) => typeof x === 'number');
    if (!numeric) return LIST(VARCHAR);
    return LIST((value as number[]).every(Number.isInteger) ? BIGINT : DOUBLE);
  }
  if (typeof value === 'number') return Number.isInteger(value) ? BIGINT : DOUBLE;
  if (typeof value === 'boolean') return BOOLEAN;
  if (typeof value === 'string') return VARCHAR;
  return undefined;
}

/** DuckDB names a position as "LINE n:" plus a caret; turn it into line and column. */
export function toQueryError(name: string, sql: string, error: unknown): QueryError {
  const message = error instanceof Error ? error.message : String(error);
  const lineMatch = /LINE (\d+):/.exec(message);
  let line: number | undefined;
  let column: number | undefined;
  if (lineMatch) {
    line = Number(lineMatch[1]);
    const afterLine = message.slice((lineMatch.index ?? 0) + lineMatch[0].length);
    const [text, caret] = afterLine.split('\n');
    if (text !== undefined && caret !== undefined && caret.includes('^')) {
      // The caret line is aligned under the echoed text, which starts after "LINE n: ".
      const offset = caret.indexOf('^') - lineMatch[0].length - 1;
      const echoed = text.trimStart();
      const sqlLine = sql.split('\n')[line - 1] ?? '';
      const shift = echoed.startsWith('...') ? sqlLine.indexOf(echoed.slice(3, 20)) - 3 : 0;
      column = Math.max(1, offset + Math.max(0, shift) + 1);
    }
  }
  const where = line ? ` (line ${line}${column ? `, column ${column}` : ''})` : '';
  return new QueryError(
    `query ${name} failed${where}: ${message.split('\n')[0]}`,
    name,
    line,
    column,
    {
      cause: error,
    },
  );
}

function explainOpenError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/lock/i.test(message)) {
    return new QueryError(
      `the DuckDB file ${path} is in use by another process (DuckDB allows one writer): stop it and retry`,
      'open',
      undefined,
      undefined,
      { cause: error },
    );
  }
  if (/does not exist|No such file/i.test(message)) {
    return new QueryError(
      `no DuckDB file at ${path}: create one with \`pathlight sample --db ${path}\` or \`pathlight import\``,
      'open',
      undefined,
      undefined,
      { cause: error },
    );
  }
  return new QueryError(
    `cannot open DuckDB file ${path}: ${message}`,
    'open',
    undefined,
    undefined,
    {
      cause: error,
    },
  );
}
