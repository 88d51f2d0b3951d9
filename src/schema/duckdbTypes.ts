import { EVENTS_SCHEMA, type Field } from './ga4Schema.js';

/** A quoted DuckDB identifier; schema names are plain words, so quoting is for reserved words. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const SCALAR: Record<string, string> = {
  STRING: 'VARCHAR',
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  BOOL: 'BOOLEAN',
};

/** The DuckDB type of one field: STRUCT(...) for records, T[] for repeated fields. */
export function duckdbType(field: Field): string {
  const base =
    field.type === 'STRUCT'
      ? `STRUCT(${field.fields.map((x) => `${quoteIdent(x.name)} ${duckdbType(x)}`).join(', ')})`
      : (SCALAR[field.type] as string);
  return field.mode === 'REPEATED' ? `${base}[]` : base;
}

/** `CREATE TABLE` for one `events_*` table, with the export's column names and nesting. */
export function eventsTableDdl(table: string, options: { orReplace?: boolean } = {}): string {
  const columns = EVENTS_SCHEMA.map((x) => `  ${quoteIdent(x.name)} ${duckdbType(x)}`).join(',\n');
  const verb = options.orReplace ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE';
  return `${verb} ${quoteIdent(table)} (\n${columns}\n)`;
}
