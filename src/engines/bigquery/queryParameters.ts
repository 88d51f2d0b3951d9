import { InputError } from '../../errors/errors.js';
import type { ParamType, ParamValue, Params } from '../engine.js';

/** A named parameter exactly as BigQuery's REST API takes it (`queryParameters[]`). */
export interface RestQueryParameter {
  readonly name: string;
  readonly parameterType: { type: string; arrayType?: { type: string } };
  readonly parameterValue: { value?: string; arrayValues?: { value: string }[] };
}

/**
 * Encodes the parameters the statement names (`@name`) as REST query parameters, every scalar a
 * string and NULL as an empty value; built here rather than by the client, which sends numbers
 * as JSON numbers and cannot send a NULL array. Values never enter the query text.
 */
export function toQueryParameters(
  sql: string,
  params: Params,
  paramTypes: Readonly<Record<string, ParamType>> = {},
): RestQueryParameter[] {
  const used = new Set([...sql.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));
  const out: RestQueryParameter[] = [];
  for (const name of used) {
    if (!(name in params) && !(name in paramTypes)) continue; // BigQuery names what is missing
    const value = params[name] ?? null;
    const type = paramTypes[name] ?? inferType(name, value);
    out.push({ name, ...encode(name, value, type) });
  }
  return out;
}

function encode(
  name: string,
  value: ParamValue,
  type: ParamType,
): Pick<RestQueryParameter, 'parameterType' | 'parameterValue'> {
  const array = /^ARRAY<(\w+)>$/.exec(type);
  if (array) {
    const element = array[1] as string;
    if (value !== null && !Array.isArray(value)) {
      throw new InputError(`@${name}: expected an array for ${type}`, name);
    }
    return {
      parameterType: { type: 'ARRAY', arrayType: { type: element } },
      parameterValue:
        value === null
          ? {}
          : {
              arrayValues: (value as (string | number)[]).map((x) => ({
                value: scalar(name, x, element),
              })),
            },
    };
  }
  if (Array.isArray(value)) throw new InputError(`@${name}: an array given for ${type}`, name);
  return {
    parameterType: { type },
    parameterValue: value === null ? {} : { value: scalar(name, value, type) },
  };
}

function scalar(name: string, value: string | number | boolean, type: string): string {
  if (type === 'INT64' && typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new InputError(`@${name}: ${value} is not an INT64`, name);
  }
  if (type === 'FLOAT64' && typeof value === 'number' && !Number.isFinite(value)) {
    return value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  }
  return String(value);
}

function inferType(name: string, value: ParamValue): ParamType {
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'boolean') return 'BOOL';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  if (Array.isArray(value) && value.length > 0) {
    if (value.every((x) => typeof x === 'string')) return 'ARRAY<STRING>';
    return (value as number[]).every(Number.isInteger) ? 'ARRAY<INT64>' : 'ARRAY<FLOAT64>';
  }
  throw new InputError(`@${name}: a NULL or empty array needs a declared type`, name);
}
