import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PARAM_TYPES, type ParamType } from '../engines/engine.js';
import { InputError } from '../errors/errors.js';
import { expandParamFamily } from './paramFamilies.js';

/**
 * The GoogleSQL files in `sql/`. A file starts with comment lines: its description, then one
 * `-- @param name TYPE example` line per parameter (the example is what `pathlight sql` shows
 * when a value is not given) or one `-- @params <family> <slots>` line per numbered slot family
 * (see paramFamilies.ts), and optionally `-- @context {json}`: the template context used
 * when the caller gives none (e.g. how many funnel steps to expand).
 */
export interface ParamDecl {
  readonly name: string;
  readonly type: ParamType;
  /** A representative value, as text: `2020-11-01`, `purchase`, `a,b` for arrays. */
  readonly example: string;
}

export interface QueryFile {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamDecl[];
  readonly context: Record<string, unknown>;
  readonly template: string;
}

export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));
const NAME = /^[a-z][a-z0-9_]*$/;

let cache: Map<string, QueryFile> | undefined;

export function listQueries(): QueryFile[] {
  cache ??= new Map(
    readdirSync(SQL_DIR)
      .filter((file) => file.endsWith('.sql'))
      .sort()
      .map((file) => {
        const name = file.slice(0, -'.sql'.length);
        return [name, parseQueryFile(name, readFileSync(`${SQL_DIR}${file}`, 'utf8'))] as const;
      }),
  );
  return [...cache.values()];
}

export function loadQuery(name: string): QueryFile {
  const query = NAME.test(name) ? listQueries().find((q) => q.name === name) : undefined;
  if (!query) {
    const names = listQueries().map((q) => q.name);
    throw new InputError(`query: no query named "${name}" (known: ${names.join(', ')})`, 'query');
  }
  return query;
}

export function parseQueryFile(name: string, text: string): QueryFile {
  const description: string[] = [];
  const params: ParamDecl[] = [];
  let context: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('--')) break;
    const body = line.replace(/^--\s?/, '');
    const family = expandParamFamily(`sql/${name}.sql`, body);
    const param = /^@param\s+([a-z][a-z0-9_]*)\s+(\S+)\s*(.*)$/.exec(body);
    if (family) {
      params.push(...family);
    } else if (param) {
      const type = param[2] as ParamType;
      if (!PARAM_TYPES.includes(type)) {
        throw new Error(`sql/${name}.sql: parameter ${param[1]} has unknown type ${type}`);
      }
      params.push({ name: param[1] as string, type, example: (param[3] ?? '').trim() });
    } else if (body.startsWith('@context')) {
      context = JSON.parse(body.slice('@context'.length)) as Record<string, unknown>;
    } else if (params.length === 0) {
      description.push(body);
    }
  }
  return { name, description: description.join(' ').trim(), params, context, template: text };
}

let partialCache: Map<string, string> | undefined;

/** Shared CTE fragments in `sql/partials/`, included in a query as `{{> name}}`. */
export function partials(): Map<string, string> {
  partialCache ??= new Map(
    readdirSync(`${SQL_DIR}partials`)
      .filter((file) => file.endsWith('.sql'))
      .map((file) => [file.slice(0, -'.sql'.length), readFileSync(`${SQL_DIR}partials/${file}`, 'utf8').trimEnd()]),
  );
  return partialCache;
}
