import type { DuckDBType } from '@duckdb/node-api';
import { isoDate, normalizeInteger, normalizeNumber, type JsonValue } from '../normalize.js';

/** Converts one value of DuckDB's JS form (bigint, Date, Buffer, nested) into plain JSON. */
export function normalizeDuckdbValue(value: unknown, type?: DuckDBType): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return normalizeInteger(value);
  if (typeof value === 'number') return normalizeNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date)
    return type && String(type) === 'DATE' ? isoDate(value) : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((x) => normalizeDuckdbValue(x));
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = normalizeDuckdbValue(inner);
    return out;
  }
  return String(value);
}
