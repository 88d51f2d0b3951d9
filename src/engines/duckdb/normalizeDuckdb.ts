import {
  DuckDBArrayType,
  DuckDBListType,
  DuckDBMapType,
  DuckDBStructType,
  DuckDBTypeId,
  type DuckDBType,
} from '@duckdb/node-api';
import { isoDate, normalizeInteger, normalizeNumber, type JsonValue } from '../normalize.js';

/**
 * Converts one value of DuckDB's JS form (bigint, Date, Buffer, nested) into plain JSON. The
 * column's type travels down into lists, arrays, maps and structs: a DATE and a TIMESTAMP are both
 * a JS Date, and only the type tells `2020-11-01` from `2020-11-01T00:00:00.000Z`.
 */
export function normalizeDuckdbValue(value: unknown, type?: DuckDBType): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return normalizeInteger(value);
  if (typeof value === 'number') return normalizeNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date)
    return type?.typeId === DuckDBTypeId.DATE ? isoDate(value) : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) {
    if (type instanceof DuckDBMapType) {
      // A MAP arrives as [{ key, value }, ...].
      return value.map((entry: { key: unknown; value: unknown }) => ({
        key: normalizeDuckdbValue(entry.key, type.keyType),
        value: normalizeDuckdbValue(entry.value, type.valueType),
      }));
    }
    const child =
      type instanceof DuckDBListType || type instanceof DuckDBArrayType
        ? type.valueType
        : undefined;
    return value.map((x) => normalizeDuckdbValue(x, child));
  }
  if (typeof value === 'object') {
    const struct = type instanceof DuckDBStructType ? type : undefined;
    const out: Record<string, JsonValue> = {};
    for (const [key, inner] of Object.entries(value)) {
      const child = struct && key in struct.entryIndexes ? struct.typeForEntry(key) : undefined;
      out[key] = normalizeDuckdbValue(inner, child);
    }
    return out;
  }
  return String(value);
}
