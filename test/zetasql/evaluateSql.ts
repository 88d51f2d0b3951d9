/**
 * Runs a BigQuery rendering on ZetaSQL's reference implementation over in-memory GA4 rows and
 * returns rows as the same plain JSON the engines produce, so tests can compare the DuckDB
 * engine's rows with BigQuery's semantics.
 *
 * Table content: the server fills tables from `TableContent` cells in column order, pseudo-columns
 * included, so `_TABLE_SUFFIX` stays a real pseudo-column (absent from `SELECT *`) and still gets
 * each row's suffix. Content can only be given when a catalog is registered (or sent with every
 * query), so each distinct data set is registered once, with its content, and reused by id.
 */
import { createHash } from 'node:crypto';
import type { TableContent } from '@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/TableContent.js';
import type { EvaluateQueryRequest } from '@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/EvaluateQueryRequest.js';
import type { EvaluateQueryResponse__Output } from '@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/EvaluateQueryResponse.js';
import type { ValueProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/ValueProto.js';
import type { ParamType, Params } from '../../src/engines/engine.js';
import type { Row } from '../../src/engines/normalize.js';
import { analyzerOptions, type OutputColumn } from './analyzeSql.js';
import {
  bigQueryLanguageOptions,
  DAILY_SUFFIX,
  dailyTablePath,
  eventsTablePath,
  ga4CatalogProto,
  offlineTablePath,
  costsTablePath,
  COSTS_COLUMNS,
  type Ga4CatalogOptions,
} from './ga4Catalog.js';
import {
  decodeValue,
  encodeEventRow,
  encodeParam,
  typeName,
  type Ga4EventRow,
} from './zetasqlValues.js';
import { rpc, startZetaSqlServer } from './zetasqlServer.js';

export interface EvaluateTables {
  /** Rows of `events_*`, each with its `_TABLE_SUFFIX` (or an `event_date` standing for it). */
  readonly events: readonly Ga4EventRow[];
  /** Rows of the offline-events table, when the rendering reads one. */
  readonly offline?: readonly Ga4EventRow[];
  /** Rows of the ad-costs table, as plain values (`date` as YYYY-MM-DD). */
  readonly costs?: readonly Record<string, string | number | null>[];
}

export type EvaluateOptions = Pick<Ga4CatalogOptions, 'project' | 'dataset'>;

export interface EvaluateResult {
  readonly columns: OutputColumn[];
  readonly rows: Row[];
}

/** Evaluates one query and returns its rows (in the order the query gives them). */
export async function evaluateSql(
  sql: string,
  params: Params,
  paramTypes: Readonly<Record<string, ParamType>>,
  tables: EvaluateTables,
  options: EvaluateOptions = {},
): Promise<Row[]> {
  return (await evaluateSqlResult(sql, params, paramTypes, tables, options)).rows;
}

/** As `evaluateSql`, with the result's column names and types. */
export async function evaluateSqlResult(
  sql: string,
  params: Params,
  paramTypes: Readonly<Record<string, ParamType>>,
  tables: EvaluateTables,
  options: EvaluateOptions = {},
): Promise<EvaluateResult> {
  for (const name of Object.keys(params)) {
    if (!(name in paramTypes)) throw new Error(`@${name}: has a value but no declared type`);
  }
  const encodedParams = Object.entries(paramTypes).map(([name, type]) => ({
    name,
    value: encodeParam(params[name], type, name),
  }));
  const [catalogId, analyzer] = await Promise.all([
    evaluationCatalogId(tables, options),
    analyzerOptions(paramTypes),
  ]);
  const server = await startZetaSqlServer();
  const request: EvaluateQueryRequest = {
    sql,
    registeredCatalogId: catalogId,
    options: analyzer,
    params: encodedParams,
  };
  let response: EvaluateQueryResponse__Output;
  try {
    response = await rpc(server.api.evaluateQuery, request);
  } catch (error) {
    const grpc = error as { code?: number; details?: string };
    // The server answers SQL errors (3), runtime errors such as division by zero (11) and what
    // the reference implementation lacks (12) with a status; only a dead server is not a SQL matter.
    if (typeof grpc.details === 'string' && grpc.code !== 14) {
      const kind = GRPC_STATUS[grpc.code ?? -1] ?? `status ${grpc.code}`;
      throw new Error(`ZetaSQL could not evaluate the query (${kind}): ${grpc.details}`, {
        cause: error,
      });
    }
    throw error;
  }
  const columnTypes = response.prepared?.columns ?? [];
  const columns = outputNames(columnTypes.map((column) => column.name)).map((name, index) => ({
    name,
    type: typeName(columnTypes[index]?.type ?? null),
  }));
  const rows = (response.content?.tableData?.row ?? []).map((row, rowIndex) => {
    const out: Row = {};
    columns.forEach((column, index) => {
      out[column.name] = decodeValue(
        row.cell[index],
        columnTypes[index]?.type ?? null,
        `row ${rowIndex}.${column.name}`,
      );
    });
    return out;
  });
  return { columns, rows };
}

/**
 * Result column names as BigQuery gives them: anonymous columns become `f0_`, `f1_`, ...;
 * duplicate names cannot be told apart in a JSON row, so they are refused.
 */
function outputNames(names: string[]): string[] {
  let anonymous = 0;
  const out = names.map((name) =>
    name === '' || name.startsWith('$') ? `f${anonymous++}_` : name,
  );
  const seen = new Set<string>();
  for (const name of out) {
    const key = name.toLowerCase();
    if (seen.has(key))
      throw new Error(`duplicate result column ${name}: give each column its own alias`);
    seen.add(key);
  }
  return out;
}

/** Table content for the wildcard table and for each daily table the rows' suffixes name. */
export function eventsTableContent(
  events: readonly Ga4EventRow[],
  options: EvaluateOptions = {},
): { content: Record<string, TableContent>; dailySuffixes: string[] } {
  const wildcard: { cell: ValueProto[] }[] = [];
  const daily = new Map<string, { cell: ValueProto[] }[]>();
  events.forEach((event, index) => {
    const { cells, suffix } = encodeEventRow(event, `events[${index}]`);
    wildcard.push({ cell: [...cells, { stringValue: suffix }] });
    if (DAILY_SUFFIX.test(suffix)) {
      const rows = daily.get(suffix) ?? [];
      rows.push({ cell: cells });
      daily.set(suffix, rows);
    }
  });
  const content: Record<string, TableContent> = {
    [eventsTablePath(options)]: { tableData: { row: wildcard } },
  };
  for (const [suffix, row] of daily)
    content[dailyTablePath(suffix, options)] = { tableData: { row } };
  return { content, dailySuffixes: [...daily.keys()].sort() };
}

const GRPC_STATUS: Record<number, string> = {
  3: 'SQL error',
  9: 'failed precondition',
  11: 'runtime error',
  12: "not implemented by ZetaSQL's reference evaluator",
  13: 'internal error',
};

/** Registered catalogs with content, most recently used last; a few data sets stay registered. */
const MAX_REGISTERED = 16;
const registered = new Map<string, { generation: number; id: Promise<string> }>();

async function evaluationCatalogId(
  tables: EvaluateTables,
  options: EvaluateOptions,
): Promise<string> {
  const server = await startZetaSqlServer();
  const { content, dailySuffixes } = eventsTableContent(tables.events, options);
  if (tables.costs) {
    content[costsTablePath(options)] = {
      tableData: {
        row: tables.costs.map((row) => ({
          cell: COSTS_COLUMNS.map(([name, type]) => encodeParam(row[name] ?? null, type, name)),
        })),
      },
    };
  }
  if (tables.offline) {
    content[offlineTablePath(options)] = {
      tableData: {
        row: tables.offline.map((row, i) => {
          const { content_key: key, source_file: file, ...event } = row as Record<string, unknown>;
          return {
            cell: [
              ...encodeEventRow(event, `offline[${i}]`).cells,
              encodeParam((key as string | undefined) ?? null, 'STRING', 'content_key'),
              encodeParam((file as string | undefined) ?? null, 'STRING', 'source_file'),
            ],
          };
        }),
      },
    };
  }
  const key = createHash('sha256')
    .update(JSON.stringify([options.project, options.dataset, content]))
    .digest('hex');
  const cached = registered.get(key);
  if (cached?.generation === server.generation) {
    registered.delete(key);
    registered.set(key, cached);
    return cached.id;
  }
  const id = bigQueryLanguageOptions().then(async (languageOptions) => {
    const response = await server.client.registerCatalog({
      simpleCatalog: ga4CatalogProto(languageOptions, {
        ...options,
        dailySuffixes,
        offlineTable: tables.offline !== undefined,
      }),
      tableContent: content,
    });
    if (!response?.registeredId) throw new Error('ZetaSQL did not register the catalog');
    return String(response.registeredId);
  });
  registered.set(key, { generation: server.generation, id });
  id.catch(() => registered.delete(key));
  while (registered.size > MAX_REGISTERED) {
    const [oldestKey, oldest] = registered.entries().next().value as [
      string,
      { generation: number; id: Promise<string> },
    ];
    registered.delete(oldestKey);
    if (oldest.generation === server.generation) {
      void oldest.id
        .then((registeredId) => server.client.unRegisterCatalog({ registeredId }))
        .catch(() => undefined);
    }
  }
  return id;
}
