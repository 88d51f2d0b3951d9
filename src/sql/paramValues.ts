import type { ParamType, ParamValue, Params } from '../engines/engine.js';
import { InputError } from '../errors/errors.js';
import type { ParamDecl, QueryFile } from './queryFiles.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks and converts one parameter value (typed, or text from the CLI) to its declared type. */
export function coerceParam(decl: ParamDecl, value: unknown): ParamValue {
  const fail = (expected: string): never => {
    throw new InputError(`param ${decl.name}: expected ${expected}, got ${JSON.stringify(value)}`, decl.name);
  };
  if (value === null) return null;
  const type: ParamType = decl.type;
  if (type.startsWith('ARRAY<')) {
    const inner: ParamDecl = { ...decl, type: type.slice(6, -1) as ParamType };
    const list = typeof value === 'string' ? (value === '' ? [] : value.split(',')) : value;
    if (!Array.isArray(list)) return fail(`a list of ${inner.type}`);
    return list.map((x) => coerceParam(inner, x)) as string[] | number[];
  }
  switch (type) {
    case 'STRING':
      return typeof value === 'string' ? value : fail('a string');
    case 'INT64': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : fail('an integer');
    }
    case 'FLOAT64': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : fail('a number');
    }
    case 'BOOL':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : fail('true or false');
    case 'DATE':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? value
        : fail('a date like 2020-11-01');
    case 'TIMESTAMP':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? new Date(value).toISOString()
        : fail('an ISO timestamp');
    default:
      return fail(type);
  }
}

/**
 * The full parameter set for a query: every declared parameter must be given, unless
 * `useExamples` fills the missing ones with the file's representative values.
 */
export function resolveParams(
  query: QueryFile,
  given: Record<string, unknown>,
  options: { useExamples?: boolean } = {},
): Params {
  const declared = new Set(query.params.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      throw new InputError(
        `param ${name}: query ${query.name} has no such parameter (it takes ${[...declared].join(', ') || 'none'})`,
        name,
      );
    }
  }
  const params: Params = {};
  for (const decl of query.params) {
    if (decl.name in given) params[decl.name] = coerceParam(decl, given[decl.name]);
    else if (options.useExamples) params[decl.name] = coerceParam(decl, decl.example);
    else throw new InputError(`param ${decl.name}: required by query ${query.name}`, decl.name);
  }
  return params;
}

export const paramTypesOf = (query: QueryFile): Record<string, ParamType> =>
  Object.fromEntries(query.params.map((p) => [p.name, p.type]));
