/**
 * The ZetaSQL catalog that models a GA4 BigQuery export, derived from `EVENTS_SCHEMA` (no copy
 * of the schema lives here), and the language options that make ZetaSQL behave like BigQuery.
 */
import { LanguageFeature } from '@fivetrandevelopers/zetasql/lib/types/zetasql/LanguageFeature.js';
import type { LanguageOptionsProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/LanguageOptionsProto.js';
import type { SimpleCatalogProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleCatalogProto.js';
import type { SimpleColumnProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleColumnProto.js';
import type { SimpleTableProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleTableProto.js';
import type { TypeProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto.js';
import type { ParamType, SqlTarget } from '../../src/engines/engine.js';
import { EVENTS_SCHEMA, type Field } from '../../src/schema/ga4Schema.js';
import { startZetaSqlServer } from './zetasqlServer.js';

export const TEST_PROJECT = 'test-project';
export const TEST_DATASET = 'analytics_123456';
/** Where a BigQuery rendering must point for the harness: render with this target. */
export const ZETASQL_TARGET: SqlTarget = {
  kind: 'bigquery',
  project: TEST_PROJECT,
  dataset: TEST_DATASET,
  costsTable: `${TEST_PROJECT}.${TEST_DATASET}.ad_costs`,
};
/** The harness target with an offline-events table configured beside the export. */
export const OFFLINE_TARGET: SqlTarget = {
  ...ZETASQL_TARGET,
  offlineTable: `${TEST_PROJECT}.${TEST_DATASET}.offline_events`,
};

/** The column BigQuery adds to a wildcard table; a pseudo-column (not in `SELECT *`). */
export const TABLE_SUFFIX = '_TABLE_SUFFIX';

export interface Ga4CatalogOptions {
  readonly project?: string;
  readonly dataset?: string;
  /** Daily tables to model besides the wildcard, by suffix: `20201101`, `intraday_20201101`. */
  readonly dailySuffixes?: readonly string[];
  /**
   * Also model `project` and `dataset` as nested catalogs, so the spellings
   * `` `p`.`d`.`events_*` `` resolve too. Analysis only: the server fills table content
   * of top-level tables only, so nested tables would evaluate as empty.
   */
  readonly nestedPaths?: boolean;
  /** Also model the offline-events table (`offlineTablePath`): the export's columns, no suffix. */
  readonly offlineTable?: boolean;
}

/** The ad-costs table (`ad_costs` in the test dataset): GA4's cost-data columns, typed. */
export const costsTablePath = (options: Ga4CatalogOptions = {}): string =>
  `${datasetPath(options)}.ad_costs`;
export const COSTS_COLUMNS: readonly [string, 'STRING' | 'INT64' | 'FLOAT64' | 'DATE'][] = [
  ['date', 'DATE'],
  ['utm_source', 'STRING'],
  ['utm_medium', 'STRING'],
  ['utm_id', 'STRING'],
  ['utm_campaign', 'STRING'],
  ['impressions', 'INT64'],
  ['clicks', 'INT64'],
  ['cost', 'FLOAT64'],
  ['currency', 'STRING'],
];

/** The offline-events table's columns after the export's: the import's content key and file. */
export const OFFLINE_EXTRA_COLUMNS = ['content_key', 'source_file'] as const;

/** The offline-events table a rendering reads when its target names one: render with `OFFLINE_TARGET`. */
export const offlineTablePath = (options: Ga4CatalogOptions = {}): string =>
  `${datasetPath(options)}.offline_events`;

/** `project.dataset.events_*`, the single identifier inside the rendering's backticks. */
export function eventsTablePath(options: Ga4CatalogOptions = {}): string {
  return `${datasetPath(options)}.events_*`;
}

export function dailyTablePath(suffix: string, options: Ga4CatalogOptions = {}): string {
  return `${datasetPath(options)}.events_${suffix}`;
}

/** A `_TABLE_SUFFIX` value that names a daily (or intraday) table of the export. */
export const DAILY_SUFFIX = /^(?:intraday_)?\d{8}$/;

const SCALAR_KINDS = {
  STRING: 'TYPE_STRING',
  INT64: 'TYPE_INT64',
  FLOAT64: 'TYPE_DOUBLE',
  BOOL: 'TYPE_BOOL',
  DATE: 'TYPE_DATE',
  TIMESTAMP: 'TYPE_TIMESTAMP',
} as const;

/** The ZetaSQL type of one schema field: REPEATED becomes ARRAY, RECORD becomes STRUCT. */
export function fieldTypeProto(field: Field): TypeProto {
  const element: TypeProto =
    field.type === 'STRUCT'
      ? {
          typeKind: 'TYPE_STRUCT',
          structType: {
            field: field.fields.map((inner) => ({
              fieldName: inner.name,
              fieldType: fieldTypeProto(inner),
            })),
          },
        }
      : { typeKind: SCALAR_KINDS[field.type] };
  return field.mode === 'REPEATED'
    ? { typeKind: 'TYPE_ARRAY', arrayType: { elementType: element } }
    : element;
}

/** The ZetaSQL type of a declared query parameter. */
export function paramTypeProto(type: ParamType): TypeProto {
  const array = /^ARRAY<(.+)>$/.exec(type);
  if (array) {
    return {
      typeKind: 'TYPE_ARRAY',
      arrayType: { elementType: paramTypeProto(array[1] as ParamType) },
    };
  }
  const kind = SCALAR_KINDS[type as keyof typeof SCALAR_KINDS];
  if (!kind) throw new Error(`unknown parameter type ${type}`);
  return { typeKind: kind };
}

/** Columns of an export table, in `EVENTS_SCHEMA` order; the wildcard adds `_TABLE_SUFFIX` last. */
export function eventsColumns(withSuffix: boolean): SimpleColumnProto[] {
  const columns: SimpleColumnProto[] = EVENTS_SCHEMA.map((field) => ({
    name: field.name,
    type: fieldTypeProto(field),
  }));
  if (withSuffix) {
    columns.push({ name: TABLE_SUFFIX, type: { typeKind: 'TYPE_STRING' }, isPseudoColumn: true });
  }
  return columns;
}

/** The catalog: the wildcard table, optional daily tables, and all builtin functions. */
export function ga4CatalogProto(
  languageOptions: LanguageOptionsProto,
  options: Ga4CatalogOptions = {},
): SimpleCatalogProto {
  const table = (name: string, withSuffix: boolean): SimpleTableProto => ({
    name,
    column: eventsColumns(withSuffix),
  });
  const suffixes = [...new Set(options.dailySuffixes ?? [])];
  for (const suffix of suffixes) {
    if (!DAILY_SUFFIX.test(suffix)) throw new Error(`not a daily table suffix: ${suffix}`);
  }
  const catalog: SimpleCatalogProto = {
    name: 'ga4',
    table: [
      table(eventsTablePath(options), true),
      ...suffixes.map((suffix) => table(dailyTablePath(suffix, options), false)),
      ...(options.offlineTable
        ? [
            {
              name: offlineTablePath(options),
              column: [
                ...eventsColumns(false),
                ...OFFLINE_EXTRA_COLUMNS.map((name) => ({
                  name,
                  type: { typeKind: 'TYPE_STRING' as const },
                })),
              ],
            },
          ]
        : []),
      {
        name: costsTablePath(options),
        column: COSTS_COLUMNS.map(([name, type]) => ({ name, type: paramTypeProto(type) })),
      },
    ],
    builtinFunctionOptions: { languageOptions },
  };
  if (options.nestedPaths) {
    const nested = [table('events_*', true), ...suffixes.map((s) => table(`events_${s}`, false))];
    const dataset = { name: options.dataset ?? TEST_DATASET, table: nested };
    catalog.catalog = [
      { name: options.project ?? TEST_PROJECT, catalog: [dataset] },
      // BigQuery also resolves `dataset.table` against the default project.
      dataset,
    ];
  }
  return catalog;
}

/**
 * Features BigQuery has that the server's "maximum" set (ZetaSQL's released features) lacks,
 * and features of that set BigQuery does not have.
 */
const BIGQUERY_EXTRA_FEATURES: (keyof typeof LanguageFeature)[] = [
  'FEATURE_INTERVAL_TYPE',
  'FEATURE_V_1_4_GROUPING_SETS',
  'FEATURE_V_1_4_GROUPING_BUILTIN',
  'FEATURE_INVERSE_TRIG_FUNCTIONS',
  'FEATURE_V_1_4_LIKE_ANY_SOME_ALL_ARRAY',
  'FEATURE_V_1_4_CORRESPONDING_BY',
];
const NOT_IN_BIGQUERY: (keyof typeof LanguageFeature)[] = [
  'FEATURE_V_1_4_WITH_EXPRESSION',
  'FEATURE_V_1_3_WITH_GROUP_ROWS',
  'FEATURE_V_1_3_UNNEST_AND_FLATTEN_ARRAYS',
  'FEATURE_EXPERIMENTAL_MODULES',
];

type LanguageFeatureValue = (typeof LanguageFeature)[keyof typeof LanguageFeature];

let languageOptionsCache:
  { generation: number; options: Promise<LanguageOptionsProto> } | undefined;

/** BigQuery's dialect: external product mode, QUALIFY reserved, maximum features adjusted. */
export async function bigQueryLanguageOptions(): Promise<LanguageOptionsProto> {
  const server = await startZetaSqlServer();
  if (languageOptionsCache?.generation !== server.generation) {
    const options = server.client.getLanguageOptions({ maximumFeatures: true }).then((max) => {
      if (!max) throw new Error('ZetaSQL server returned no language options');
      const drop = new Set<number>(NOT_IN_BIGQUERY.map((name) => LanguageFeature[name]));
      const features = new Set<number>(max.enabledLanguageFeatures.filter((f) => !drop.has(f)));
      for (const name of BIGQUERY_EXTRA_FEATURES) features.add(LanguageFeature[name]);
      return {
        productMode: 'PRODUCT_EXTERNAL',
        nameResolutionMode: 'NAME_RESOLUTION_DEFAULT',
        enabledLanguageFeatures: [...features].sort((a, b) => a - b) as LanguageFeatureValue[],
        supportedStatementKinds: max.supportedStatementKinds,
        reservedKeywords: max.reservedKeywords,
      } satisfies LanguageOptionsProto;
    });
    languageOptionsCache = { generation: server.generation, options };
  }
  return languageOptionsCache.options;
}

function datasetPath(options: Ga4CatalogOptions): string {
  const project = options.project ?? TEST_PROJECT;
  const dataset = options.dataset ?? TEST_DATASET;
  // Same shapes BigQuery accepts for a project id and a dataset name.
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project))
    throw new Error(`bad project id: ${project}`);
  if (!/^\w{1,1024}$/.test(dataset)) throw new Error(`bad dataset name: ${dataset}`);
  return `${project}.${dataset}`;
}
