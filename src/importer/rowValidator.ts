import { EVENTS_SCHEMA, type Field, type ScalarType } from '../schema/ga4Schema.js';

/**
 * Checks one NDJSON row, as BigQuery's `bq extract` writes it, against EVENTS_SCHEMA. The checks
 * are closures compiled once from the schema, so a row costs one pass over its values. They never
 * change the row: every accepted encoding is one DuckDB's JSON reader turns into the same value,
 * so DuckDB can load the checked file itself.
 *
 * Accepted encodings (BigQuery writes the first of each; the others come from other tools):
 * - INT64: a JSON string of digits ("123") or a JSON number that is a safe integer. A number
 *   beyond 2^53 has already lost digits in JSON.parse, so it is refused rather than imported wrong.
 * - FLOAT64: a JSON number, or the strings "NaN", "Infinity", "-Infinity" (how BigQuery writes
 *   the values JSON cannot hold) or a decimal number as a string.
 * - BOOL: true / false only. STRING: a JSON string only.
 * - NULL and a missing field are the same. A REPEATED field is an array and never NULL: null or
 *   missing becomes [], as in BigQuery; a null element inside an array is refused.
 * - A field the schema does not know, at any depth, is refused: data is never dropped silently.
 */

/** A check failure; `path` is filled in by the enclosing records and arrays as it propagates. */
export class FieldError extends Error {
  readonly path: (string | number)[] = [];
}

type Check = (value: unknown) => void;

/** Canonical decimal integers, as BigQuery writes them (DuckDB refuses leading zeros). */
const INT64_TEXT = /^(?:0|-?[1-9]\d{0,18})$/;
const FLOAT_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const FLOAT_SPECIAL = new Set(['NaN', 'Infinity', '-Infinity']);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A short rendering of the offending value for messages. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(type: string, value: unknown, hint = ''): never {
  throw new FieldError(`expected ${type}, got ${describeValue(value)}${hint}`);
}

function scalarCheck(type: ScalarType): Check {
  switch (type) {
    case 'STRING':
      return (v) => {
        if (v != null && typeof v !== 'string') fail('STRING', v);
      };
    case 'INT64':
      return (v) => {
        if (v == null) return;
        if (typeof v === 'string') {
          if (!INT64_TEXT.test(v)) fail('INT64', v);
          if (v.length >= 19) {
            const big = BigInt(v);
            if (big < INT64_MIN || big > INT64_MAX) fail('INT64', v, ' (out of range)');
          }
          return;
        }
        if (typeof v === 'number') {
          if (Number.isSafeInteger(v)) return;
          if (Number.isInteger(v)) {
            fail('INT64', v, ' (beyond 2^53 as a JSON number: write INT64 as a string)');
          }
        }
        fail('INT64', v);
      };
    case 'FLOAT64':
      return (v) => {
        if (v == null || typeof v === 'number') return;
        if (typeof v === 'string' && (FLOAT_SPECIAL.has(v) || FLOAT_TEXT.test(v))) return;
        fail('FLOAT64', v);
      };
    case 'BOOL':
      return (v) => {
        if (v != null && typeof v !== 'boolean') fail('BOOL', v);
      };
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A record check; `what` names an unknown key ("column" at the top, "field" below). */
function recordCheck(fields: readonly Field[], what: 'column' | 'field'): Check {
  const checks = new Map<string, Check>(fields.map((f) => [f.name, fieldCheck(f)]));
  return (v) => {
    if (v == null) return;
    if (!isPlainObject(v)) fail('RECORD (a JSON object)', v);
    for (const key in v) {
      const check = checks.get(key);
      if (!check) {
        const error = new FieldError(`unknown ${what} (not in the GA4 events schema)`);
        error.path.unshift(key);
        throw error;
      }
      try {
        check(v[key]);
      } catch (error) {
        if (error instanceof FieldError) error.path.unshift(key);
        throw error;
      }
    }
  };
}

function repeatedCheck(element: Check, type: string): Check {
  return (v) => {
    if (v == null) return;
    if (!Array.isArray(v)) fail(`ARRAY<${type}>`, v);
    for (let index = 0; index < v.length; index++) {
      try {
        const item: unknown = v[index];
        if (item == null) fail(type, item, ' (BigQuery arrays hold no NULL)');
        element(item);
      } catch (error) {
        if (error instanceof FieldError) error.path.unshift(index);
        throw error;
      }
    }
  };
}

function fieldCheck(field: Field): Check {
  const single =
    field.type === 'STRUCT' ? recordCheck(field.fields, 'field') : scalarCheck(field.type);
  if (field.mode !== 'REPEATED') return single;
  return repeatedCheck(single, field.type === 'STRUCT' ? 'RECORD' : field.type);
}

/** The compiled check of a whole row: throws FieldError naming the field at fault. */
export function compileRowValidator(schema: readonly Field[] = EVENTS_SCHEMA): Check {
  const record = recordCheck(schema, 'column');
  return (row) => {
    if (!isPlainObject(row)) fail('a JSON object per line', row);
    record(row);
  };
}

/** `event_params[2].value.int_value` from a FieldError's path. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}
