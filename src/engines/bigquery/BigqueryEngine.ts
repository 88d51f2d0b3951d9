import { randomUUID } from 'node:crypto';
import { BigQuery, type BigQueryOptions, type Job } from '@google-cloud/bigquery';
import type { Config } from '../../config/config.js';
import { ConfigError, CostCapError, PathlightError, TimeoutError } from '../../errors/errors.js';
import type { Engine, Params, QueryOptions, QueryResult, SqlTarget } from '../engine.js';
import type { Row } from '../normalize.js';
import {
  bigqueryErrorInfo,
  isTransientBigqueryError,
  toBigqueryQueryError,
} from './bigqueryErrors.js';
import {
  clientAuthOptions,
  credentialsFromSettings,
  type BigqueryCredentials,
} from './credentials.js';
import { assertDataset, assertLocation, assertProject } from './identifiers.js';
import {
  decodeRows,
  fieldTypeName,
  type BigqueryField,
  type RestRow,
} from './normalizeBigquery.js';
import { toQueryParameters } from './queryParameters.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

/** A column of a BigQuery table schema, as load jobs take it. */
export interface BigqueryTableField {
  name: string;
  type: string;
  mode?: string;
  description?: string;
  fields?: BigqueryTableField[];
}

/** What a table says about itself: its description and labels. */
export interface BigqueryTableProperties {
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface BigqueryEngineOptions {
  readonly project: string;
  readonly dataset: string;
  /** `project.dataset.table` of imported offline events, read beside the export. */
  readonly offlineTable?: string;
  /** `project.dataset.table` of imported ad costs. */
  readonly costsTable?: string;
  readonly location?: string;
  /** Hard cost cap: the dry run refuses above it and the job carries it as maximumBytesBilled. */
  readonly maximumBytesBilled: number;
  readonly jobTimeoutMs?: number;
  readonly credentials: BigqueryCredentials;
  /** Tests point the client at a local server. */
  readonly apiEndpoint?: string;
  /** Tests give an auth client holding a static token; production leaves it unset. */
  readonly authClient?: BigQueryOptions['authClient'];
  readonly retry?: RetryPolicy;
  /** Called before each retry, for logs and tests. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

interface QueryResultsBody {
  jobComplete?: boolean;
  schema?: { fields?: BigqueryField[] };
  rows?: RestRow[];
  pageToken?: string;
  totalBytesProcessed?: string;
}

const POLL_MS = 10_000;
const PAGE_ROWS = 50_000;

/**
 * The BigQuery wrapper, with its guardrails in one place: named parameters only, a dry run
 * before every job (bytes and validation; refused above the cap), then the job with
 * maximumBytesBilled, a timeout, labels and location; transient failures retried with backoff;
 * failures as one QueryError with line and column; rows normalized as DuckDB's are.
 */
export class BigqueryEngine implements Engine {
  readonly kind = 'bigquery' as const;
  readonly target: Extract<SqlTarget, { kind: 'bigquery' }>;

  private constructor(
    private readonly client: BigQuery,
    private readonly options: BigqueryEngineOptions,
  ) {
    this.target = {
      kind: 'bigquery',
      project: options.project,
      dataset: options.dataset,
      ...(options.offlineTable ? { offlineTable: options.offlineTable } : {}),
      ...(options.costsTable ? { costsTable: options.costsTable } : {}),
    };
  }

  static create(options: BigqueryEngineOptions): BigqueryEngine {
    assertProject(options.project);
    assertDataset(options.dataset);
    if (options.location !== undefined) assertLocation(options.location);
    if (!Number.isSafeInteger(options.maximumBytesBilled) || options.maximumBytesBilled <= 0) {
      throw new ConfigError(
        'BIGQUERY_MAX_BYTES_BILLED: expected a positive whole number of bytes',
        'BIGQUERY_MAX_BYTES_BILLED',
      );
    }
    const auth = clientAuthOptions(options.credentials);
    const client = new BigQuery({
      projectId: options.project,
      ...(options.location ? { location: options.location } : {}),
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
      ...auth,
      ...(options.authClient ? { authClient: options.authClient } : {}),
      // Retries are ours (below), so they are bounded, logged and the same for every call.
      retryOptions: { autoRetry: false, maxRetries: 0 },
      userAgent: 'pathlight',
    });
    return new BigqueryEngine(client, options);
  }

  async query(sql: string, params: Params, options: QueryOptions): Promise<QueryResult> {
    const started = performance.now();
    try {
      return await this.run(sql, params, options, started);
    } catch (error) {
      if (error instanceof PathlightError) throw error;
      throw toBigqueryQueryError(options.name, error);
    }
  }

  async close(): Promise<void> {}

  /**
   * Appends a newline-delimited JSON file to `table` (`project.dataset.table`) in one load job,
   * creating the table with `fields` when missing: a load job commits all of its rows or none.
   * `replace` empties the table first in the same job (a staging table loaded afresh).
   */
  async loadNdjson(
    table: string,
    file: string,
    fields: readonly BigqueryTableField[],
    options: { replace?: boolean } = {},
  ): Promise<{ rows: number }> {
    return this.load(table, file, fields, options.replace ? 'WRITE_TRUNCATE' : 'WRITE_APPEND');
  }

  /**
   * Replaces `table`'s rows and schema with a newline-delimited JSON file in one load job (the
   * old rows stay until the job commits), then sets its description and labels: a new table gets
   * them from the job, an existing one by a patch after it.
   */
  async replaceTableNdjson(
    table: string,
    file: string,
    fields: readonly BigqueryTableField[],
    properties: BigqueryTableProperties,
  ): Promise<{ rows: number }> {
    const loaded = await this.load(table, file, fields, 'WRITE_TRUNCATE', properties);
    await this.retrying(() =>
      this.table(table).setMetadata({
        description: properties.description,
        labels: { ...properties.labels },
      }),
    );
    return loaded;
  }

  /** A table's description and labels, or null when there is no such table. */
  async tableProperties(table: string): Promise<BigqueryTableProperties | null> {
    try {
      const [metadata] = await this.retrying(() => this.table(table).getMetadata());
      const m = metadata as { description?: string; labels?: Record<string, string> };
      return { description: m.description ?? '', labels: m.labels ?? {} };
    } catch (error) {
      if (bigqueryErrorInfo(error).code === 404) return null;
      throw error;
    }
  }

  private table(table: string) {
    const [project, dataset, name] = table.split('.') as [string, string, string];
    return this.client.dataset(dataset, { projectId: project }).table(name);
  }

  private async load(
    table: string,
    file: string,
    fields: readonly BigqueryTableField[],
    writeDisposition: 'WRITE_APPEND' | 'WRITE_TRUNCATE',
    properties?: BigqueryTableProperties,
  ): Promise<{ rows: number }> {
    const [job] = await this.table(table).load(file, {
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      schema: { fields: fields as BigqueryTableField[] },
      writeDisposition,
      createDisposition: 'CREATE_IF_NEEDED',
      ...(properties
        ? {
            destinationTableProperties: {
              description: properties.description,
              labels: { ...properties.labels },
            },
          }
        : {}),
      ...(this.options.location ? { location: this.options.location } : {}),
    });
    const status = job.status as { errorResult?: { message?: string } } | undefined;
    if (status?.errorResult) {
      throw new PathlightError(
        `BigQuery load into ${table} failed: ${status.errorResult.message ?? ''}`,
      );
    }
    const stats = job.statistics as { load?: { outputRows?: string } } | undefined;
    return { rows: Number(stats?.load?.outputRows ?? 0) };
  }

  private async run(
    sql: string,
    params: Params,
    options: QueryOptions,
    started: number,
  ): Promise<QueryResult> {
    const name = options.name;
    const location = this.options.location;
    const cap = this.options.maximumBytesBilled;
    const base = {
      query: sql,
      useLegacySql: false,
      parameterMode: 'named',
      queryParameters: toQueryParameters(sql, params, options.paramTypes),
      ...(location ? { location } : {}),
    };

    const [, dryRun] = await this.retrying(() =>
      this.client.createQueryJob({ ...base, dryRun: true }),
    );
    const estimate = Number(dryRun?.statistics?.totalBytesProcessed ?? 0);
    const dryFields = (dryRun?.statistics?.query?.schema?.fields ?? []) as BigqueryField[];
    if (options.dryRun) {
      return {
        rows: [],
        columns: dryFields.map((f) => ({ name: f.name, type: fieldTypeName(f) })),
        bytesProcessed: estimate,
        elapsedMs: performance.now() - started,
      };
    }
    if (estimate > cap) {
      throw new CostCapError(
        `query ${name} would process ${formatBytes(estimate)}, above the cap of ${formatBytes(cap)} (BIGQUERY_MAX_BYTES_BILLED)`,
        name,
      );
    }

    const timeoutMs = options.timeoutMs ?? this.options.jobTimeoutMs ?? 120_000;
    const jobId = `pathlight_${label(name)}_${randomUUID().replaceAll('-', '')}`;
    const job = await this.retrying(async (attempt) => {
      try {
        const [created] = await this.client.createQueryJob({
          ...base,
          jobId,
          maximumBytesBilled: String(cap),
          jobTimeoutMs: timeoutMs,
          labels: {
            app: 'pathlight',
            query: label(name),
            ...(options.report ? { report: label(options.report) } : {}),
          },
        });
        return created;
      } catch (error) {
        // An insert that failed in transit may have created the job: the retry then meets it.
        if (attempt > 1 && bigqueryErrorInfo(error).code === 409) {
          return this.client.job(jobId, location ? { location } : {});
        }
        throw error;
      }
    });

    const deadline = started + timeoutMs;
    const rows: Row[] = [];
    let fields: BigqueryField[] = dryFields;
    let bytesProcessed = estimate;
    let pageToken: string | undefined;
    for (;;) {
      const remaining = Math.floor(deadline - performance.now());
      if (remaining <= 0) {
        await this.cancel(job);
        throw new TimeoutError(
          `query ${name} timed out after ${timeoutMs} ms (job ${jobId} cancelled)`,
        );
      }
      const page = await this.retrying(() =>
        this.queryResults(jobId, {
          ...(location ? { location } : {}),
          timeoutMs: Math.min(remaining, POLL_MS),
          maxResults: PAGE_ROWS,
          ...(pageToken ? { pageToken } : {}),
          // Microseconds as an integer: exact, where float seconds are not.
          'formatOptions.useInt64Timestamp': true,
        }),
      );
      if (page.jobComplete === false) continue;
      fields = page.schema?.fields ?? fields;
      if (page.totalBytesProcessed !== undefined) bytesProcessed = Number(page.totalBytesProcessed);
      rows.push(...decodeRows(fields, page.rows ?? []));
      if (!page.pageToken) break;
      pageToken = page.pageToken;
    }
    return {
      rows,
      columns: fields.map((f) => ({ name: f.name, type: fieldTypeName(f) })),
      bytesProcessed,
      elapsedMs: performance.now() - started,
    };
  }

  /** jobs.getQueryResults through the client (auth, endpoint), rows left as REST f/v cells. */
  private queryResults(jobId: string, qs: Record<string, unknown>): Promise<QueryResultsBody> {
    return new Promise((resolve, reject) => {
      this.client.request({ uri: `/queries/${encodeURIComponent(jobId)}`, qs }, (error, body) => {
        if (error) reject(error);
        else resolve((body ?? {}) as QueryResultsBody);
      });
    });
  }

  private async cancel(job: Job): Promise<void> {
    await job.cancel().catch(() => undefined); // the job timeout stops it anyway
  }

  private retrying<T>(fn: (attempt: number) => Promise<T>): Promise<T> {
    return withRetry(
      fn,
      isTransientBigqueryError,
      this.options.retry ?? DEFAULT_RETRY,
      this.options.onRetry,
    );
  }
}

/** The engine for `PATHLIGHT_ENGINE=bigquery`, from the parsed configuration. */
export function bigqueryEngineFromConfig(config: Config): BigqueryEngine {
  for (const name of ['BIGQUERY_PROJECT', 'BIGQUERY_DATASET'] as const) {
    if (!config[name]) {
      throw new ConfigError(
        `environment variable ${name}: required when PATHLIGHT_ENGINE=bigquery`,
        name,
      );
    }
  }
  return BigqueryEngine.create({
    project: config.BIGQUERY_PROJECT as string,
    dataset: config.BIGQUERY_DATASET as string,
    ...(config.PATHLIGHT_BQ_OFFLINE_TABLE
      ? { offlineTable: config.PATHLIGHT_BQ_OFFLINE_TABLE }
      : {}),
    ...(config.PATHLIGHT_BQ_COSTS_TABLE ? { costsTable: config.PATHLIGHT_BQ_COSTS_TABLE } : {}),
    ...(config.BIGQUERY_LOCATION ? { location: config.BIGQUERY_LOCATION } : {}),
    maximumBytesBilled: config.BIGQUERY_MAX_BYTES_BILLED,
    jobTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS,
    credentials: credentialsFromSettings(config),
    ...(config.BIGQUERY_API_ENDPOINT ? { apiEndpoint: config.BIGQUERY_API_ENDPOINT } : {}),
  });
}

/** Label keys and values: lowercase letters, digits, `_` and `-`, at most 63 characters. */
export function label(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);
}

/** Bytes in binary units, as BigQuery's console shows them: `12.3 GB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${units[unit]}`;
}
