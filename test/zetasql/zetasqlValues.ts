/**
 * Conversions between plain JS values and ZetaSQL's `ValueProto`: GA4 rows and parameters in,
 * result rows out, normalized to the same plain JSON as `src/engines/normalize.ts`.
 */
import { TypeKind } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeKind.js';
import type { TypeProto__Output } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto.js';
import type {
  ValueProto,
  ValueProto__Output,
} from '@fivetrandevelopers/zetasql/lib/types/zetasql/ValueProto.js';
import type { ParamType, ParamValue } from '../../src/engines/engine.js';
import {
  isoDate,
  normalizeInteger,
  normalizeNumber,
  type JsonValue,
} from '../../src/engines/normalize.js';
import { EVENTS_SCHEMA, type Field } from '../../src/schema/ga4Schema.js';
import { TABLE_SUFFIX } from './ga4Catalog.js';

/**
 * One GA4 export row as plain JS, in the exact `EVENTS_SCHEMA` shape: missing fields are NULL
 * (a missing REPEATED field is an empty array, as BigQuery never stores a NULL array), INT64 may
 * be a number, bigint or decimal string. `_TABLE_SUFFIX` names the daily table the row is in;
 * when absent it is `event_date`, which is how the GA4 export names its daily tables.
 */
export type Ga4EventRow = { readonly [field: string]: unknown };

const NULL: ValueProto = {};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The cells of one row of the wildcard table: `EVENTS_SCHEMA` order, then `_TABLE_SUFFIX`. */
export function encodeEventRow(
  row: Ga4EventRow,
  path: string,
): { cells: ValueProto[]; suffix: string } {
  if (!isPlainObject(row)) throw new Error(`${path}: expected an object, got ${describe(row)}`);
  const known = new Set([...EVENTS_SCHEMA.map((field) => field.name), TABLE_SUFFIX]);
  for (const key of Object.keys(row)) {
    if (!known.has(key)) throw new Error(`${path}.${key}: not a field of the GA4 events table`);
  }
  const suffix = row[TABLE_SUFFIX] ?? row.event_date;
  if (typeof suffix !== 'string') {
    throw new Error(`${path}: needs ${TABLE_SUFFIX} (or event_date) as a string`);
  }
  const cells = EVENTS_SCHEMA.map((field) =>
    encodeField(row[field.name], field, `${path}.${field.name}`),
  );
  return { cells, suffix };
}

function encodeField(value: unknown, field: Field, path: string): ValueProto {
  if (field.mode === 'REPEATED') {
    if (value === null || value === undefined) return { arrayValue: { element: [] } };
    if (!Array.isArray(value))
      throw new Error(`${path}: expected an array, got ${describe(value)}`);
    const single: Field = { ...field, mode: 'NULLABLE' } as Field;
    return {
      arrayValue: {
        element: value.map((item, index) => {
          // BigQuery arrays cannot hold NULL elements.
          if (item === null || item === undefined)
            throw new Error(`${path}[${index}]: NULL in an array`);
          return encodeField(item, single, `${path}[${index}]`);
        }),
      },
    };
  }
  if (value === null || value === undefined) return NULL;
  if (field.type === 'STRUCT') {
    if (!isPlainObject(value))
      throw new Error(`${path}: expected an object, got ${describe(value)}`);
    const names = new Set(field.fields.map((inner) => inner.name));
    for (const key of Object.keys(value)) {
      if (!names.has(key)) throw new Error(`${path}.${key}: not a field of ${field.name}`);
    }
    return {
      structValue: {
        field: field.fields.map((inner) =>
          encodeField(value[inner.name], inner, `${path}.${inner.name}`),
        ),
      },
    };
  }
  return encodeScalar(value, field.type, path);
}

function encodeScalar(value: unknown, type: string, path: string): ValueProto {
  switch (type) {
    case 'STRING':
      if (typeof value === 'string') return { stringValue: value };
      break;
    case 'INT64':
      return { int64Value: int64String(value, path) };
    case 'FLOAT64':
      if (typeof value === 'number') return { doubleValue: value };
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
        return { doubleValue: Number(value) };
      }
      if (value === 'NaN') return { doubleValue: Number.NaN };
      break;
    case 'BOOL':
      if (typeof value === 'boolean') return { boolValue: value };
      break;
    case 'DATE': {
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
        const ms = Date.parse(`${value}T00:00:00Z`);
        if (!Number.isNaN(ms) && isoDate(new Date(ms)) === value)
          return { dateValue: ms / 86_400_000 };
      }
      throw new Error(`${path}: expected a DATE as 'YYYY-MM-DD', got ${describe(value)}`);
    }
    case 'TIMESTAMP':
      if (typeof value === 'string') return { timestampValue: parseTimestamp(value, path) };
      break;
    default:
      throw new Error(`${path}: unsupported type ${type}`);
  }
  throw new Error(`${path}: expected ${type}, got ${describe(value)}`);
}

function int64String(value: unknown, path: string): string {
  let n: bigint | undefined;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = BigInt(value);
  if (n === undefined) {
    throw new Error(
      `${path}: expected INT64 (safe integer, bigint or decimal string), got ${describe(value)}`,
    );
  }
  if (n < INT64_MIN || n > INT64_MAX) throw new Error(`${path}: ${n} is out of the INT64 range`);
  return n.toString();
}

/** ISO-8601 or BigQuery's `YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM|Z]`, kept to the microsecond. */
function parseTimestamp(text: string, path: string): { seconds: string; nanos: number } {
  const match =
    /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      text.trim(),
    );
  if (!match) throw new Error(`${path}: expected a TIMESTAMP string, got ${JSON.stringify(text)}`);
  const [, date, time = '00:00:00', fraction = '', zone = 'Z'] = match;
  const offset = /^(Z|UTC)$/i.test(zone)
    ? 'Z'
    : zone.length === 3
      ? `${zone}:00`
      : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${date}T${time}${offset}`);
  if (Number.isNaN(ms)) throw new Error(`${path}: not a valid TIMESTAMP: ${JSON.stringify(text)}`);
  return { seconds: String(ms / 1000), nanos: Number(fraction.padEnd(9, '0')) };
}

/** A bound parameter value of its declared type; null binds a typed NULL. */
export function encodeParam(
  value: ParamValue | undefined,
  type: ParamType,
  name: string,
): ValueProto {
  const path = `@${name}`;
  if (value === undefined) throw new Error(`${path}: declared as ${type} but has no value`);
  if (value === null) return NULL;
  const array = /^ARRAY<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) throw new Error(`${path}: expected ${type}, got ${describe(value)}`);
    return {
      arrayValue: {
        element: (value as unknown[]).map((item, index) => {
          if (item === null || item === undefined)
            throw new Error(`${path}[${index}]: NULL in an array`);
          return encodeScalar(item, array[1] as string, `${path}[${index}]`);
        }),
      },
    };
  }
  return encodeScalar(value, type, path);
}

/** The GoogleSQL spelling of a result type: `INT64`, `ARRAY<STRING>`, `STRUCT<a INT64>`. */
export function typeName(type: TypeProto__Output | null): string {
  if (!type) return 'UNKNOWN';
  switch (type.typeKind) {
    case TypeKind.TYPE_ARRAY:
      return `ARRAY<${typeName(type.arrayType?.elementType ?? null)}>`;
    case TypeKind.TYPE_STRUCT:
      return `STRUCT<${(type.structType?.field ?? [])
        .map((field) =>
          field.fieldName
            ? `${field.fieldName} ${typeName(field.fieldType)}`
            : typeName(field.fieldType),
        )
        .join(', ')}>`;
    case TypeKind.TYPE_RANGE:
      return `RANGE<${typeName(type.rangeType?.elementType ?? null)}>`;
    case TypeKind.TYPE_DOUBLE:
      return 'FLOAT64';
    case TypeKind.TYPE_FLOAT:
      return 'FLOAT32';
    default: {
      const name = Object.entries(TypeKind).find(([, kind]) => kind === type.typeKind)?.[0];
      return name ? name.replace(/^TYPE_/, '') : `TYPE_${type.typeKind}`;
    }
  }
}

/**
 * A result value as plain JSON (see `src/engines/normalize.ts`). Where BigQuery's results
 * differ from ZetaSQL's values, BigQuery wins: a NULL ARRAY comes back as `[]`, anonymous
 * STRUCT fields are named `_field_N`.
 */
export function decodeValue(
  cell: ValueProto__Output | undefined,
  type: TypeProto__Output | null,
  path: string,
): JsonValue {
  if (!type) throw new Error(`${path}: result has no type`);
  const kind = type.typeKind;
  const value: Partial<ValueProto__Output> = cell ?? {};
  if (kind === TypeKind.TYPE_ARRAY) {
    const elementType = type.arrayType?.elementType ?? null;
    return (value.arrayValue?.element ?? []).map((element, index) =>
      decodeValue(element, elementType, `${path}[${index}]`),
    );
  }
  if (!value.value) return null;
  switch (kind) {
    case TypeKind.TYPE_STRUCT: {
      const fields = type.structType?.field ?? [];
      const cells = value.structValue?.field ?? [];
      const out: Record<string, JsonValue> = {};
      fields.forEach((field, index) => {
        const name = field.fieldName || `_field_${index + 1}`;
        out[name] = decodeValue(cells[index], field.fieldType, `${path}.${name}`);
      });
      return out;
    }
    case TypeKind.TYPE_INT64:
    case TypeKind.TYPE_INT32:
    case TypeKind.TYPE_UINT32:
    case TypeKind.TYPE_UINT64:
      return normalizeInteger(
        BigInt(
          String(value.int64Value ?? value.int32Value ?? value.uint32Value ?? value.uint64Value),
        ),
      );
    case TypeKind.TYPE_DOUBLE:
    case TypeKind.TYPE_FLOAT:
      return normalizeNumber(Number(value.doubleValue ?? value.floatValue));
    case TypeKind.TYPE_BOOL:
      return Boolean(value.boolValue);
    case TypeKind.TYPE_STRING:
      return value.stringValue ?? '';
    case TypeKind.TYPE_JSON:
      return value.jsonValue ?? '';
    case TypeKind.TYPE_BYTES:
      return Buffer.from(value.bytesValue ?? []).toString('base64');
    case TypeKind.TYPE_DATE:
      return isoDate(new Date((value.dateValue ?? 0) * 86_400_000));
    case TypeKind.TYPE_TIMESTAMP: {
      const ts = value.timestampValue;
      const ms =
        Number(BigInt(String(ts?.seconds ?? 0)) * 1000n) + Math.floor((ts?.nanos ?? 0) / 1e6);
      return new Date(ms).toISOString();
    }
    case TypeKind.TYPE_DATETIME:
      return decodeDatetime(value);
    case TypeKind.TYPE_TIME:
      return decodeTime(BigInt(String(value.timeValue ?? 0)));
    case TypeKind.TYPE_NUMERIC:
      return decodeDecimal(value.numericValue, 9);
    case TypeKind.TYPE_BIGNUMERIC:
      return decodeDecimal(value.bignumericValue, 38);
    default:
      throw new Error(`${path}: result type ${typeName(type)} is not supported by the harness`);
  }
}

/** NUMERIC / BIGNUMERIC: little-endian two's complement of value × 10^scale. */
function decodeDecimal(bytes: Buffer | undefined, scale: number): number | null {
  const data = bytes ?? Buffer.alloc(0);
  let n = 0n;
  for (let i = data.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(data[i] ?? 0);
  if (data.length > 0 && ((data[data.length - 1] ?? 0) & 0x80) !== 0)
    n -= 1n << BigInt(8 * data.length);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  const text = `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return normalizeNumber(Number(text));
}

/**
 * DATETIME, packed as year<<26 | month<<22 | day<<17 | hour<<12 | minute<<6 | second. Rendered
 * like a naive DuckDB TIMESTAMP after normalization (ISO with `Z`, milliseconds), the type a
 * DATETIME maps to there.
 */
function decodeDatetime(value: Partial<ValueProto__Output>): string {
  const bits = BigInt(String(value.datetimeValue?.bitFieldDatetimeSeconds ?? 0));
  const part = (shift: bigint, width: bigint): number =>
    Number((bits >> shift) & ((1n << width) - 1n));
  const ms = Date.UTC(
    part(26n, 14n),
    part(22n, 4n) - 1,
    part(17n, 5n),
    part(12n, 5n),
    part(6n, 6n),
    part(0n, 6n),
  );
  const millis = Math.floor((value.datetimeValue?.nanos ?? 0) / 1e6);
  return new Date(ms + millis).toISOString();
}

/** TIME, packed as hour<<42 | minute<<36 | second<<30 | nanos: `HH:MM:SS[.ffffff]`. */
function decodeTime(bits: bigint): string {
  const part = (shift: bigint, width: bigint): number =>
    Number((bits >> shift) & ((1n << width) - 1n));
  const pad = (n: number): string => String(n).padStart(2, '0');
  const micros = Math.floor(part(0n, 30n) / 1000);
  const base = `${pad(part(42n, 5n))}:${pad(part(36n, 6n))}:${pad(part(30n, 6n))}`;
  return micros ? `${base}.${String(micros).padStart(6, '0')}` : base;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${JSON.stringify(value).slice(0, 40)}`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`;
  }
  return typeof value;
}
