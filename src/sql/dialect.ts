import type { ParamType, SqlTarget } from '../engines/engine.js';

/**
 * The few spellings where DuckDB differs from GoogleSQL, applied to the rendered text outside
 * string literals and comments. Everything else is shared; the differential tests against
 * ZetaSQL are what keep these rewrites honest.
 */
const DUCKDB_TYPES: Record<string, string> = {
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  STRING: 'VARCHAR',
  BOOL: 'BOOLEAN',
  NUMERIC: 'DECIMAL(38, 9)',
  BIGNUMERIC: 'DOUBLE',
};

/** Splits SQL into code and non-code (string literals, comments, quoted identifiers). */
function mapCode(sql: string, rewrite: (code: string) => string): string {
  const parts = sql.split(/('(?:[^'\\]|\\.|'')*'|--[^\n]*|`[^`]*`)/);
  return parts.map((part, index) => (index % 2 === 0 ? rewrite(part) : part)).join('');
}

/** `@name` parameter markers in the engine's form; DuckDB gets typed casts for dates. */
export function renderMarkers(sql: string, target: SqlTarget, types: Record<string, ParamType>): string {
  if (target.kind === 'bigquery') return sql;
  return mapCode(sql, (code) =>
    code.replace(/(?<![@\w])@([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
      const type = types[name];
      if (type === 'DATE') return `CAST($${name} AS DATE)`;
      if (type === 'TIMESTAMP') return `CAST($${name} AS TIMESTAMP)`;
      return `$${name}`;
    }),
  );
}

export function toDuckdbDialect(sql: string): string {
  return mapCode(sql, (code) =>
    code
      // BigQuery binds the element of UNNEST(array) AS x to x itself; DuckDB needs a column alias.
      .replace(/\bUNNEST\(([^()]*(?:\([^()]*\))*[^()]*)\)\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)/g, 'UNNEST($1) AS _$2($2)')
      .replace(/\bIN\s+UNNEST\(([^()]+)\)/g, 'IN (SELECT UNNEST($1))')
      .replace(/\bSAFE_CAST\(/g, 'TRY_CAST(')
      .replace(/\bAS\s+(INT64|FLOAT64|STRING|BOOL|NUMERIC|BIGNUMERIC)\b/g, (_m, type: string) => `AS ${DUCKDB_TYPES[type]}`),
  );
}

/** A value written into SQL text, for `pathlight sql` output only: engines always bind values. */
export function sqlLiteral(value: unknown, type: ParamType, target: SqlTarget): string {
  if (value === null || value === undefined) {
    const sqlType = target.kind === 'duckdb' ? toDuckdbType(type) : type;
    return `CAST(NULL AS ${sqlType})`;
  }
  if (type.startsWith('ARRAY<')) {
    const inner = type.slice(6, -1) as ParamType;
    return `[${(value as unknown[]).map((x) => sqlLiteral(x, inner, target)).join(', ')}]`;
  }
  switch (type) {
    case 'STRING':
      return target.kind === 'bigquery'
        ? `'${String(value).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
        : `'${String(value).replaceAll("'", "''")}'`;
    case 'DATE':
      return `DATE '${String(value)}'`;
    case 'TIMESTAMP':
      return `TIMESTAMP '${String(value)}'`;
    case 'BOOL':
      return value ? 'TRUE' : 'FALSE';
    default:
      return String(value);
  }
}

function toDuckdbType(type: ParamType): string {
  if (type.startsWith('ARRAY<')) return `${toDuckdbType(type.slice(6, -1) as ParamType)}[]`;
  return DUCKDB_TYPES[type] ?? type;
}

/** Replaces `@name` markers by literals (display only). */
export function inlineParams(
  sql: string,
  values: Record<string, unknown>,
  types: Record<string, ParamType>,
  target: SqlTarget,
): string {
  return mapCode(sql, (code) =>
    code.replace(/(?<![@\w])@([A-Za-z_][A-Za-z0-9_]*)/g, (match, name: string) =>
      name in types ? sqlLiteral(values[name], types[name] as ParamType, target) : match,
    ),
  );
}

/**
 * Whether the target has list functions (list_sort, list aggregates over a unit's keys): the
 * first-match funnel form is written with them, so only such a target may be offered it.
 */
export const hasListFunctions = (target: SqlTarget): boolean => target.kind === 'duckdb';
