/**
 * Analyzes a BigQuery rendering with ZetaSQL, BigQuery's own front end, against the GA4 catalog:
 * names, types, functions and clauses are checked the way BigQuery checks them.
 */
import type { AnalyzerOptionsProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/AnalyzerOptionsProto.js';
import type { ParamType } from '../../src/engines/engine.js';
import {
  bigQueryLanguageOptions,
  ga4CatalogProto,
  paramTypeProto,
  type Ga4CatalogOptions,
} from './ga4Catalog.js';
import { typeName } from './zetasqlValues.js';
import { startZetaSqlServer } from './zetasqlServer.js';

export interface OutputColumn {
  readonly name: string;
  /** GoogleSQL spelling: `INT64`, `ARRAY<STRING>`, `STRUCT<key STRING, n INT64>`. */
  readonly type: string;
}

export type AnalyzeResult =
  | { readonly ok: true; readonly outputColumns: OutputColumn[] }
  | {
      readonly ok: false;
      /** One line: ZetaSQL's message and `[at line:column]`. */
      readonly error: string;
      /** 1-based position in `sql`, when ZetaSQL gave one. */
      readonly line: number | null;
      readonly column: number | null;
      /** The message with the offending line and a caret under the position. */
      readonly detail: string;
    };

export type AnalyzeOptions = Omit<Ga4CatalogOptions, 'nestedPaths'>;

/** Analyzer options shared by analysis and evaluation: BigQuery's dialect, UTC, typed parameters. */
export async function analyzerOptions(
  paramTypes: Readonly<Record<string, ParamType>>,
): Promise<AnalyzerOptionsProto> {
  return {
    languageOptions: await bigQueryLanguageOptions(),
    queryParameters: Object.entries(paramTypes).map(([name, type]) => ({
      name,
      type: paramTypeProto(type),
    })),
    // BigQuery's default time zone; ZetaSQL's own default is America/Los_Angeles.
    defaultTimezone: 'UTC',
    errorMessageMode: 'ERROR_MESSAGE_MULTI_LINE_WITH_CARET',
  };
}

/** The analysis catalog is registered once per server and catalog shape, then used by id. */
const registered = new Map<string, { generation: number; id: Promise<string> }>();

async function analysisCatalogId(options: AnalyzeOptions): Promise<string> {
  const server = await startZetaSqlServer();
  const key = JSON.stringify([options.project, options.dataset, options.dailySuffixes]);
  let entry = registered.get(key);
  if (entry?.generation !== server.generation) {
    const id = bigQueryLanguageOptions().then(async (languageOptions) => {
      const response = await server.client.registerCatalog({
        // The offline-events table is always there: only renderings for OFFLINE_TARGET read it.
        simpleCatalog: ga4CatalogProto(languageOptions, {
          ...options,
          nestedPaths: true,
          offlineTable: true,
        }),
      });
      if (!response?.registeredId) throw new Error('ZetaSQL did not register the catalog');
      return String(response.registeredId);
    });
    entry = { generation: server.generation, id };
    registered.set(key, entry);
    id.catch(() => registered.delete(key));
  }
  return entry.id;
}

/**
 * Analyzes one query. SQL errors come back as `{ ok: false }` with ZetaSQL's message and
 * position; a failing server (not a SQL problem) throws.
 */
export async function analyzeSql(
  sql: string,
  paramTypes: Readonly<Record<string, ParamType>> = {},
  options: AnalyzeOptions = {},
): Promise<AnalyzeResult> {
  const server = await startZetaSqlServer();
  const [catalogId, analyzer] = await Promise.all([
    analysisCatalogId(options),
    analyzerOptions(paramTypes),
  ]);
  try {
    const response = await server.client.analyze({
      registeredCatalogId: catalogId,
      options: analyzer,
      sqlStatement: sql,
    });
    const statement = response?.resolvedStatement;
    const query = statement?.resolvedQueryStmtNode;
    if (!query) {
      return sqlError(`not a query statement (${statement?.node ?? 'nothing'} was analyzed)`);
    }
    return {
      ok: true,
      outputColumns: query.outputColumnList.map((column) => ({
        name: column.name,
        type: typeName(column.column?.type ?? null),
      })),
    };
  } catch (error) {
    const failure = zetaSqlFailure(error);
    if (failure) return failure;
    throw error;
  }
}

/** A gRPC INVALID_ARGUMENT from ZetaSQL (a SQL error) as a readable result; else null. */
export function zetaSqlFailure(error: unknown): Extract<AnalyzeResult, { ok: false }> | null {
  const grpc = error as { code?: number; details?: string };
  // 3 INVALID_ARGUMENT: the analyzer rejected the SQL. 12 UNIMPLEMENTED: the evaluator lacks it.
  if (grpc?.code !== 3 && grpc?.code !== 12) return null;
  return sqlError(grpc.details ?? String(error));
}

function sqlError(detail: string): Extract<AnalyzeResult, { ok: false }> {
  const firstLine = detail.split('\n')[0] ?? detail;
  const at = /\[at (\d+):(\d+)\]/.exec(firstLine);
  return {
    ok: false,
    error: firstLine,
    line: at ? Number(at[1]) : null,
    column: at ? Number(at[2]) : null,
    detail,
  };
}

/**
 * Analyzes one statement of any kind (DDL, MERGE, DROP): `{ ok: true, kind }` with the kind of
 * resolved statement ZetaSQL built (`resolvedMergeStmtNode`), or the SQL error as analyzeSql's.
 */
export async function analyzeStatement(
  sql: string,
  paramTypes: Readonly<Record<string, ParamType>> = {},
): Promise<{ readonly ok: true; readonly kind: string } | Extract<AnalyzeResult, { ok: false }>> {
  const server = await startZetaSqlServer();
  const [catalogId, analyzer] = await Promise.all([
    analysisCatalogId({}),
    analyzerOptions(paramTypes),
  ]);
  // BigQuery's statements beyond queries: CREATE TABLE, DROP, MERGE (ResolvedNodeKind numbers).
  const kinds = [38, 50, 90, 101] as const;
  try {
    const response = await server.client.analyze({
      registeredCatalogId: catalogId,
      options: {
        ...analyzer,
        languageOptions: { ...analyzer.languageOptions, supportedStatementKinds: [...kinds] },
      },
      sqlStatement: sql,
    });
    // Statement kinds nest by family (create → create table base → create table): the innermost.
    let node = (response?.resolvedStatement ?? {}) as Record<string, unknown>;
    let kind: string | undefined;
    for (;;) {
      const key = Object.keys(node).find(
        (k) => /(Stmt|StmtBase|Statement)Node$/.test(k) && node[k],
      );
      if (!key) break;
      kind = key;
      node = node[key] as Record<string, unknown>;
    }
    return kind ? { ok: true, kind } : sqlError('nothing was analyzed');
  } catch (error) {
    const failure = zetaSqlFailure(error);
    if (failure) return failure;
    throw error;
  }
}
