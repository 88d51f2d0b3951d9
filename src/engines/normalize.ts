/**
 * Rows leave an engine as plain JSON, the same from DuckDB and from BigQuery:
 * - integers (INT64, HUGEINT) become numbers when they fit in a double exactly, else decimal strings;
 * - TIMESTAMP becomes an ISO-8601 string in UTC (`2020-11-01T10:00:00.123Z`);
 * - DATE becomes `YYYY-MM-DD`;
 * - NUMERIC/DECIMAL and FLOAT64 become numbers; NaN and infinities become null;
 * - records become objects and arrays stay arrays; bytes become base64 strings.
 */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Row = Record<string, JsonValue>;

export function normalizeInteger(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

export function normalizeNumber(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);
