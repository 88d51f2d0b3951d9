import Handlebars from 'handlebars';
import type { ParamType, Params, SqlTarget } from '../engines/engine.js';
import { EVENTS_VIEW } from '../engines/duckdb/eventsView.js';
import { EVENTS_SCHEMA } from '../schema/ga4Schema.js';
import { AD_COSTS_TABLE } from '../schema/adCostsTable.js';
import { OFFLINE_EVENTS_TABLE } from '../schema/offlineEventsTable.js';
import { InputError } from '../errors/errors.js';
import { renderMarkers, toDuckdbDialect } from './dialect.js';
import { paramTypesOf } from './paramValues.js';
import { loadQuery, partials, type QueryFile } from './queryFiles.js';
import { channelGroupSql } from './channelGroupSql.js';
import { isEmptyScope, scopeSlots, type EventScope } from './eventScope.js';

export interface RenderedQuery {
  readonly name: string;
  readonly sql: string;
  readonly paramTypes: Record<string, ParamType>;
  /** The values of the event scope's slots (filters, segment), bound beside the query's own. */
  readonly scopeParams: Params;
}

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const PARAM_KINDS = ['string', 'int', 'double', 'float', 'number'] as const;
type ParamKind = (typeof PARAM_KINDS)[number];

const suffix = (p: string) => `FORMAT_DATE('%Y%m%d', @${p})`;
const DATE_WHERE = `_TABLE_SUFFIX BETWEEN ${suffix('start_date')} AND ${suffix('end_date')}
      OR (@include_intraday AND _TABLE_SUFFIX BETWEEN CONCAT('intraday_', ${suffix('start_date')}) AND CONCAT('intraday_', ${suffix('end_date')}))`;

function eventsTable(target: SqlTarget): string {
  if (target.kind === 'duckdb') return EVENTS_VIEW;
  if (!PROJECT.test(target.project) || !DATASET.test(target.dataset)) {
    throw new InputError(`bigquery: invalid project or dataset name`, 'dataset');
  }
  return `\`${target.project}.${target.dataset}.events_*\``;
}

/**
 * The events source with its date bounds: `_TABLE_SUFFIX` bounded by @start_date / @end_date,
 * and the intraday tables only when @include_intraday is true; `scopeSql` (a report's filters
 * and segment, rendered by sql/partials/event_scope.sql) narrows it further.
 */
function eventsSource(target: SqlTarget, scopeSql: string): string {
  const where = scopeSql ? `(${DATE_WHERE})${scopeSql}` : DATE_WHERE;
  const columns =
    target.kind === 'bigquery'
      ? '*, _TABLE_SUFFIX AS table_suffix'
      : '* EXCLUDE (_TABLE_SUFFIX), _TABLE_SUFFIX AS table_suffix';
  return `(
    SELECT ${columns}
    FROM ${eventsTable(target)}
    WHERE ${where}
  )`;
}

/** `project.dataset.table`, as the configuration names an imported table. */
const OFFLINE_TABLE = /^[a-z][a-z0-9-]{4,28}[a-z0-9][.][A-Za-z0-9_]{1,1024}[.][A-Za-z0-9_-]{1,1024}$/;

/**
 * The date-bounded events before any scope: on BigQuery with an offline-events table configured,
 * the export's columns of both, offline rows dated by `event_date` (the embedded engine's
 * `events_*` view already includes its offline table the same way).
 */
function datedEvents(target: SqlTarget): string {
  if (target.kind === 'duckdb' || !target.offlineTable) return eventsSource(target, '');
  if (!OFFLINE_TABLE.test(target.offlineTable)) {
    throw new InputError('bigquery: invalid offline events table name', 'offlineTable');
  }
  const columns = EVENTS_SCHEMA.map((field) => field.name).join(', ');
  return `(
    SELECT ${columns}, _TABLE_SUFFIX AS table_suffix
    FROM ${eventsTable(target)}
    WHERE ${DATE_WHERE}
    UNION ALL
    SELECT ${columns}, event_date AS table_suffix
    FROM \`${target.offlineTable}\`
    WHERE event_date BETWEEN ${suffix('start_date')} AND ${suffix('end_date')}
  )`;
}

/** The imported ad costs: the embedded engine's table, or the one the configuration names. */
function costsTable(target: SqlTarget): string {
  if (target.kind === 'duckdb') return AD_COSTS_TABLE;
  if (!target.costsTable) {
    throw new InputError('bigquery: no ad costs table configured (PATHLIGHT_BQ_COSTS_TABLE)', 'costsTable');
  }
  if (!OFFLINE_TABLE.test(target.costsTable)) {
    throw new InputError('bigquery: invalid ad costs table name', 'costsTable');
  }
  return `\`${target.costsTable}\``;
}

/** The imported offline events table itself (its content keys), on either engine. */
function offlineEventsTable(target: SqlTarget): string {
  if (target.kind === 'duckdb') return OFFLINE_EVENTS_TABLE;
  const table = target.offlineTable ?? `${target.project}.${target.dataset}.offline_events`;
  if (!OFFLINE_TABLE.test(table)) {
    throw new InputError('bigquery: invalid offline events table name', 'offlineTable');
  }
  return `\`${table}\``;
}

/** One typed value of an event (or item) parameter, by literal key or by `@param` key. */
function paramValue(target: SqlTarget, kind: ParamKind, key: string, array = 'event_params'): string {
  if (!PARAM_KINDS.includes(kind)) throw new Error(`param helper: unknown kind ${kind}`);
  const keySql = key.startsWith('@') ? key : KEY.test(key) ? `'${key}'` : undefined;
  if (!keySql) throw new Error(`param helper: invalid key ${key}`);
  if (target.kind === 'bigquery') {
    const value =
      kind === 'number'
        ? 'COALESCE(CAST(value.int_value AS FLOAT64), value.double_value, value.float_value)'
        : `value.${kind}_value`;
    return `(SELECT ${value} FROM UNNEST(${array}) WHERE key = ${keySql})`;
  }
  if (kind === 'number') {
    return `COALESCE(CAST(param_int(${array}, ${keySql}) AS DOUBLE), param_double(${array}, ${keySql}), param_float(${array}, ${keySql}))`;
  }
  return `param_${kind}(${array}, ${keySql})`;
}

function handlebarsFor(target: SqlTarget): typeof Handlebars {
  const hb = Handlebars.create();
  // The scope arrives as template data (`@eventScope`), so one compiled template serves every scope.
  hb.registerHelper('events', (options: Handlebars.HelperOptions) => {
    const data = options.data as { eventScope?: string; eventsSql?: string } | undefined;
    return data?.eventsSql ?? eventsSource(target, String(data?.eventScope ?? ''));
  });
  hb.registerHelper('costs', () => costsTable(target));
  hb.registerHelper('offline_events', () => offlineEventsTable(target));
  hb.registerHelper('param', (kind: ParamKind, key: string, ...rest: unknown[]) => {
    const array = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    return paramValue(target, kind, key, array);
  });
  hb.registerHelper('channel_group', (source: string, medium: string, campaign: string) =>
    channelGroupSql(source, medium, campaign),
  );
  hb.registerHelper('add', (a: number, b: number) => a + b);
  for (const [name, text] of partials()) hb.registerPartial(name, text);
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return hb;
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

function compile(name: string, text: string, target: SqlTarget): HandlebarsTemplateDelegate {
  const key = `${name}|${JSON.stringify(target)}`;
  let template = compiled.get(key);
  if (!template) {
    template = handlebarsFor(target).compile(text, { noEscape: true, strict: true });
    compiled.set(key, template);
  }
  return template;
}

/** The scope's WHERE terms for `{{events}}`, with the slot values and types they bind. */
function renderScope(target: SqlTarget, scope: EventScope, table: string, dateWhere: string) {
  const slots = scopeSlots(scope);
  const sid = paramValue(target, 'int', 'ga_session_id');
  const sql = compile('partials/event_scope', '{{> event_scope}}', target)({
    ...slots.context,
    table,
    dateWhere,
    // NULL without a user or a session on both engines (DuckDB's CONCAT would skip a NULL part).
    sessionKey: `IF(user_pseudo_id IS NULL OR ${sid} IS NULL, NULL, CONCAT(user_pseudo_id, '.', CAST(${sid} AS STRING)))`,
  });
  return { sql: sql.trimEnd(), params: slots.params, types: slots.types };
}

/**
 * `{{events}}` for one scope. Device identity without offline tables keeps the plain form (the
 * export table, date bounds and scope in one WHERE); otherwise the scope applies to the events
 * after identity resolution (sql/partials/identified_events.sql), so a segment selects people.
 */
function scopedEvents(target: SqlTarget, scope: EventScope | undefined) {
  const identity = scope?.identity ?? 'device';
  const plain = identity === 'device' && (target.kind === 'duckdb' || !target.offlineTable);
  if (plain) {
    if (isEmptyScope(scope)) return { eventsSql: undefined, sql: '', params: {}, types: {} };
    const scoped = renderScope(target, scope as EventScope, eventsTable(target), DATE_WHERE);
    return { eventsSql: undefined, ...scoped };
  }
  const dated = datedEvents(target);
  const relation =
    identity === 'device'
      ? dated
      : compile('partials/identified_events', '{{> identified_events}}', target)({
          source: dated,
          identity,
        }).trim();
  const scoped = renderScope(target, scope ?? { filters: [] }, relation, 'TRUE');
  const eventsSql = `(
    SELECT *
    FROM ${relation}
    WHERE TRUE${scoped.sql}
  )`;
  return { eventsSql, ...scoped };
}

/**
 * Renders a query for one engine: macros expanded, markers and spellings in its dialect. A
 * `scope` (report filters, a segment) narrows every `{{events}}` source of the query.
 */
export function renderQuery(
  nameOrQuery: string | QueryFile,
  target: SqlTarget,
  context?: Record<string, unknown>,
  scope?: EventScope,
): RenderedQuery {
  const query = typeof nameOrQuery === 'string' ? loadQuery(nameOrQuery) : nameOrQuery;
  const template = compile(query.name, stripHeader(query.template), target);
  const scoped = scopedEvents(target, scope);
  let sql = template(context ?? query.context, {
    data: { eventScope: scoped.sql, eventsSql: scoped.eventsSql },
  }).trim();
  // Only the slots the query reads (a query without `{{events}}` reads none) are declared and bound.
  const used = (name: string) => new RegExp(`@${name}\\b`).test(sql);
  const scopeNames = Object.keys(scoped.types).filter(used);
  const paramTypes = {
    ...paramTypesOf(query),
    ...Object.fromEntries(scopeNames.map((n) => [n, scoped.types[n] as ParamType])),
  };
  const scopeParams = Object.fromEntries(scopeNames.map((n) => [n, scoped.params[n] ?? null]));
  sql = renderMarkers(sql, target, paramTypes);
  if (target.kind === 'duckdb') sql = toDuckdbDialect(sql);
  return { name: query.name, sql, paramTypes, scopeParams };
}

/** The header's @param and @context lines are for tools; the description stays for readers. */
function stripHeader(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^--\s?@(params?|context)\b/.test(line))
    .join('\n');
}

export type { Params };
