import { normalizeInteger, normalizeNumber, type JsonValue, type Row } from '../normalize.js';

/** A result column as BigQuery's REST API describes it. */
export interface BigqueryField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string | null;
  readonly fields?: readonly BigqueryField[] | null;
}

/** One REST cell: `{ v }`, where a record's v is `{ f: cells }` and a repeated field's v is cells. */
export interface RestCell {
  readonly v?: unknown;
}
export interface RestRow {
  readonly f: readonly RestCell[];
}

/** Decodes REST rows (f/v, every scalar a string) into the same plain JSON the DuckDB engine gives. */
export function decodeRows(fields: readonly BigqueryField[], rows: readonly RestRow[]): Row[] {
  return rows.map((row) => decodeRecord(fields, row) as Row);
}

function decodeRecord(
  fields: readonly BigqueryField[],
  record: unknown,
): Record<string, JsonValue> {
  const cells = (record as RestRow | null)?.f ?? [];
  const out: Record<string, JsonValue> = {};
  fields.forEach((field, index) => {
    out[field.name] = decodeField(field, cells[index]?.v);
  });
  return out;
}

function decodeField(field: BigqueryField, value: unknown): JsonValue {
  if (field.mode === 'REPEATED') {
    // BigQuery has no NULL arrays: an absent one is empty, as DuckDB's rows show them.
    if (!Array.isArray(value)) return [];
    return value.map((cell: RestCell) => decodeScalar(field, cell?.v));
  }
  return decodeScalar(field, value);
}

function decodeScalar(field: BigqueryField, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (field.type.toUpperCase()) {
    case 'RECORD':
    case 'STRUCT':
      return decodeRecord(field.fields ?? [], value);
    case 'INTEGER':
    case 'INT64':
      return normalizeInteger(BigInt(String(value)));
    case 'FLOAT':
    case 'FLOAT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return normalizeNumber(Number(value));
    case 'BOOLEAN':
    case 'BOOL':
      return value === true || value === 'true';
    case 'TIMESTAMP':
      return timestampToIso(String(value));
    case 'DATETIME':
      return datetimeToIso(String(value));
    default:
      // STRING, BYTES (already base64), DATE (already YYYY-MM-DD), JSON, TIME, GEOGRAPHY.
      return String(value);
  }
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * BigQuery sends a TIMESTAMP as integer microseconds (`formatOptions.useInt64Timestamp`) or as
 * float seconds (`1.6040736E9`). Both are read exactly, then cut to milliseconds toward zero, as
 * DuckDB's JS conversion does (`micros / 1000n`), so both engines print the same instant.
 */
export function timestampToIso(value: string): string {
  const micros = /^[+-]?\d+$/.test(value) ? BigInt(value) : secondsToMicros(value);
  return new Date(Number(micros / 1000n)).toISOString();
}

function secondsToMicros(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match || (match[2] === '' && !match[3]))
    throw new Error(`not a BigQuery timestamp: ${value}`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = BigInt(`${whole}${fraction}` || '0');
  const shift = Number(exponent) - fraction.length + 6;
  const magnitude = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  return sign === '-' ? -magnitude : magnitude;
}

/** DATETIME `2020-11-01T10:00:00.123456` becomes what DuckDB gives for a TIMESTAMP: ISO with Z. */
export function datetimeToIso(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(value);
  if (!match) return value;
  const [, y, mo, d, h, mi, s, fraction = ''] = match;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), millis);
  return date.toISOString();
}

/** The GoogleSQL type name of a result column, e.g. `ARRAY<STRUCT<key STRING, value INT64>>`. */
export function fieldTypeName(field: BigqueryField): string {
  const base = (() => {
    const type = field.type.toUpperCase();
    if (type === 'RECORD' || type === 'STRUCT') {
      return `STRUCT<${(field.fields ?? []).map((f) => `${f.name} ${fieldTypeName(f)}`).join(', ')}>`;
    }
    return LEGACY_NAMES[type] ?? type;
  })();
  return field.mode === 'REPEATED' ? `ARRAY<${base}>` : base;
}

const LEGACY_NAMES: Record<string, string> = {
  INTEGER: 'INT64',
  FLOAT: 'FLOAT64',
  BOOLEAN: 'BOOL',
};
