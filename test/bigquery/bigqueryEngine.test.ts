import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BigqueryEngine } from '../../src/engines/bigquery/BigqueryEngine.js';
import { CostCapError, QueryError, TimeoutError } from '../../src/errors/errors.js';
import { goalTotalsQuery } from '../../src/reports/reportGoal.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { bigqueryError, FakeBigquery } from './fakeBigquery.js';

const fake = new FakeBigquery();
let endpoint: string;
const retries: { attempt: number; code: unknown }[] = [];

beforeAll(async () => {
  endpoint = await fake.start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  retries.length = 0;
});

function tokenClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  return client;
}

function engine(maximumBytesBilled = 10 * 1024 ** 3): BigqueryEngine {
  return BigqueryEngine.create({
    project: 'my-project-123',
    dataset: 'analytics_123456789',
    location: 'EU',
    maximumBytesBilled,
    jobTimeoutMs: 30_000,
    credentials: { kind: 'adc' },
    apiEndpoint: endpoint,
    authClient: tokenClient(),
    retry: { attempts: 3, baseDelayMs: 5 },
    onRetry: (error, attempt) =>
      retries.push({ attempt, code: (error as { code?: unknown }).code }),
  });
}

const ONE_ROW = {
  schema: { fields: [{ name: 'n', type: 'INTEGER', mode: 'NULLABLE' }] },
  rows: [{ f: [{ v: '1' }] }],
};

describe('BigqueryEngine against a local BigQuery REST server', () => {
  it('sends named parameters, dry-runs first, then the job with its guardrails', async () => {
    fake.result = ONE_ROW;
    const sql = [
      'SELECT 1 AS n FROM t',
      'WHERE d BETWEEN @start_date AND @end_date AND name IN UNNEST(@names)',
      'AND n < @limit AND r > @ratio AND f = @flag AND s = @missing AND ts < @ts',
      'AND id IN UNNEST(@ids) AND x IN UNNEST(@no_ids)',
    ].join('\n');
    const result = await engine().query(
      sql,
      {
        start_date: '2020-11-01',
        end_date: '2020-11-30',
        names: ["O'Brien", 'a"b'],
        limit: 9007199254740991,
        ratio: 0.25,
        flag: false,
        missing: null,
        ts: '2020-11-01T10:00:00.123Z',
        ids: [1, 2],
        no_ids: null,
        unused: 'x',
      },
      {
        name: 'funnel',
        report: 'Weekly Funnel (EU)',
        paramTypes: {
          start_date: 'DATE',
          end_date: 'DATE',
          names: 'ARRAY<STRING>',
          limit: 'INT64',
          ratio: 'FLOAT64',
          flag: 'BOOL',
          missing: 'STRING',
          ts: 'TIMESTAMP',
          ids: 'ARRAY<INT64>',
          no_ids: 'ARRAY<INT64>',
        },
      },
    );
    expect(result.rows).toEqual([{ n: 1 }]);
    expect(result.bytesProcessed).toBe(1_000_000);

    const inserts = fake.calls('insert');
    expect(inserts).toHaveLength(2);
    const [dry, real] = inserts.map((r) => r.body);
    expect(fake.requests[0]?.body.configuration.dryRun).toBe(true);
    expect(real.configuration.dryRun).toBeUndefined();
    for (const job of [dry, real]) {
      expect(job.configuration.query.query).toBe(sql);
      expect(job.configuration.query.useLegacySql).toBe(false);
      expect(job.configuration.query.parameterMode).toBe('named');
      expect(job.jobReference.location).toBe('EU');
      expect(job.jobReference.projectId).toBe('my-project-123');
      expect(job.configuration.query.queryParameters).toEqual([
        {
          name: 'start_date',
          parameterType: { type: 'DATE' },
          parameterValue: { value: '2020-11-01' },
        },
        {
          name: 'end_date',
          parameterType: { type: 'DATE' },
          parameterValue: { value: '2020-11-30' },
        },
        {
          name: 'names',
          parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } },
          parameterValue: { arrayValues: [{ value: "O'Brien" }, { value: 'a"b' }] },
        },
        {
          name: 'limit',
          parameterType: { type: 'INT64' },
          parameterValue: { value: '9007199254740991' },
        },
        { name: 'ratio', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '0.25' } },
        { name: 'flag', parameterType: { type: 'BOOL' }, parameterValue: { value: 'false' } },
        { name: 'missing', parameterType: { type: 'STRING' }, parameterValue: {} },
        {
          name: 'ts',
          parameterType: { type: 'TIMESTAMP' },
          parameterValue: { value: '2020-11-01T10:00:00.123Z' },
        },
        {
          name: 'ids',
          parameterType: { type: 'ARRAY', arrayType: { type: 'INT64' } },
          parameterValue: { arrayValues: [{ value: '1' }, { value: '2' }] },
        },
        {
          name: 'no_ids',
          parameterType: { type: 'ARRAY', arrayType: { type: 'INT64' } },
          parameterValue: {},
        },
      ]);
    }
    expect(dry.configuration.query.maximumBytesBilled).toBeUndefined();
    expect(real.configuration.query.maximumBytesBilled).toBe('10737418240');
    expect(real.configuration.jobTimeoutMs).toBe('30000');
    expect(real.configuration.labels).toEqual({
      app: 'pathlight',
      query: 'funnel',
      report: 'weekly_funnel__eu_',
    });
    expect(real.jobReference.jobId).toMatch(/^pathlight_funnel_[0-9a-f]{32}$/);

    const [results] = fake.calls('results');
    expect(results?.path).toBe(
      `/bigquery/v2/projects/my-project-123/queries/${real.jobReference.jobId}`,
    );
    expect(results?.query).toMatchObject({
      location: 'EU',
      'formatOptions.useInt64Timestamp': 'true',
    });
    expect(fake.requests.every((r) => r.auth === 'Bearer test-token')).toBe(true);
  });

  it('decodes REST rows by schema into the normalized JSON', async () => {
    fake.result = {
      schema: {
        fields: [
          { name: 'i', type: 'INTEGER', mode: 'NULLABLE' },
          { name: 'big', type: 'INTEGER', mode: 'NULLABLE' },
          { name: 'neg_big', type: 'INTEGER', mode: 'NULLABLE' },
          { name: 'x', type: 'FLOAT', mode: 'NULLABLE' },
          { name: 'nan', type: 'FLOAT', mode: 'NULLABLE' },
          { name: 'inf', type: 'FLOAT', mode: 'NULLABLE' },
          { name: 'num', type: 'NUMERIC', mode: 'NULLABLE' },
          { name: 'b', type: 'BOOLEAN', mode: 'NULLABLE' },
          { name: 'ts', type: 'TIMESTAMP', mode: 'NULLABLE' },
          { name: 'd', type: 'DATE', mode: 'NULLABLE' },
          { name: 'dt', type: 'DATETIME', mode: 'NULLABLE' },
          { name: 'bytes', type: 'BYTES', mode: 'NULLABLE' },
          { name: 's', type: 'STRING', mode: 'NULLABLE' },
          {
            name: 'device',
            type: 'RECORD',
            mode: 'NULLABLE',
            fields: [
              { name: 'category', type: 'STRING', mode: 'NULLABLE' },
              { name: 'version', type: 'INTEGER', mode: 'NULLABLE' },
            ],
          },
          {
            name: 'event_params',
            type: 'RECORD',
            mode: 'REPEATED',
            fields: [
              { name: 'key', type: 'STRING', mode: 'NULLABLE' },
              {
                name: 'value',
                type: 'RECORD',
                mode: 'NULLABLE',
                fields: [
                  { name: 'string_value', type: 'STRING', mode: 'NULLABLE' },
                  { name: 'int_value', type: 'INTEGER', mode: 'NULLABLE' },
                ],
              },
            ],
          },
          { name: 'tags', type: 'STRING', mode: 'REPEATED' },
        ],
      },
      rows: [
        {
          f: [
            { v: '42' },
            { v: '9007199254740993' },
            { v: '-9223372036854775808' },
            { v: '1.5' },
            { v: 'NaN' },
            { v: '-Infinity' },
            { v: '123.45' },
            { v: 'true' },
            { v: '1604225400123456' },
            { v: '2020-11-01' },
            { v: '2020-11-01T10:00:00.999999' },
            { v: 'AAEC/w==' },
            { v: 'héllo' },
            { v: { f: [{ v: 'mobile' }, { v: '17' }] } },
            {
              v: [
                {
                  v: {
                    f: [{ v: 'ga_session_id' }, { v: { f: [{ v: null }, { v: '1604225400' }] } }],
                  },
                },
                { v: { f: [{ v: 'page_title' }, { v: { f: [{ v: 'Home' }, { v: null }] } }] } },
              ],
            },
            { v: [{ v: 'a' }, { v: 'b' }] },
          ],
        },
        {
          f: [
            { v: null },
            { v: '-12' },
            { v: '0' },
            { v: '-0.1' },
            { v: 'Infinity' },
            { v: null },
            { v: null },
            { v: 'false' },
            { v: '-1' },
            { v: null },
            { v: null },
            { v: null },
            { v: '' },
            { v: null },
            { v: [] },
            { v: [] },
          ],
        },
      ],
    };
    const { rows, columns } = await engine().query('SELECT * FROM t', {}, { name: 'decode' });
    expect(rows).toEqual([
      {
        i: 42,
        big: '9007199254740993',
        neg_big: '-9223372036854775808',
        x: 1.5,
        nan: null,
        inf: null,
        num: 123.45,
        b: true,
        ts: '2020-11-01T10:10:00.123Z',
        d: '2020-11-01',
        dt: '2020-11-01T10:00:00.999Z',
        bytes: 'AAEC/w==',
        s: 'héllo',
        device: { category: 'mobile', version: 17 },
        event_params: [
          { key: 'ga_session_id', value: { string_value: null, int_value: 1604225400 } },
          { key: 'page_title', value: { string_value: 'Home', int_value: null } },
        ],
        tags: ['a', 'b'],
      },
      {
        i: null,
        big: -12,
        neg_big: 0,
        x: -0.1,
        nan: null,
        inf: null,
        num: null,
        b: false,
        // One microsecond before the epoch: cut toward zero, as DuckDB's micros / 1000n does.
        ts: '1970-01-01T00:00:00.000Z',
        d: null,
        dt: null,
        bytes: null,
        s: '',
        device: null,
        event_params: [],
        tags: [],
      },
    ]);
    expect(columns.map((c) => c.type)).toEqual([
      'INT64',
      'INT64',
      'INT64',
      'FLOAT64',
      'FLOAT64',
      'FLOAT64',
      'NUMERIC',
      'BOOL',
      'TIMESTAMP',
      'DATE',
      'DATETIME',
      'BYTES',
      'STRING',
      'STRUCT<category STRING, version INT64>',
      'ARRAY<STRUCT<key STRING, value STRUCT<string_value STRING, int_value INT64>>>',
      'ARRAY<STRING>',
    ]);
  });

  it('follows pages and polls until the job completes', async () => {
    fake.result = {
      schema: ONE_ROW.schema,
      rows: ['1', '2', '3', '4', '5'].map((v) => ({ f: [{ v }] })),
    };
    fake.pageSize = 2;
    fake.incompletePolls = 2;
    const { rows } = await engine().query('SELECT n FROM t', {}, { name: 'pages' });
    expect(rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
    expect(fake.calls('results').map((r) => r.query.pageToken ?? '')).toEqual([
      '',
      '',
      '',
      '2',
      '4',
    ]);
  });

  it('refuses a query whose dry run exceeds the cap, before any job runs', async () => {
    fake.dryRunBytes = () => Math.round(12.3 * 1024 ** 3);
    const error = await engine()
      .query('SELECT n FROM t', {}, { name: 'funnel' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CostCapError);
    expect((error as CostCapError).message).toBe(
      'query funnel would process 12.3 GB, above the cap of 10 GB (BIGQUERY_MAX_BYTES_BILLED)',
    );
    expect((error as CostCapError).queryName).toBe('funnel');
    expect(fake.calls('insert').map((r) => r.body.configuration.dryRun)).toEqual([true]);
    expect(fake.calls('results')).toHaveLength(0);
  });

  it('a dry run over a 90-day range reports bytes; a cap below it refuses to run it', async () => {
    // The fake prices a scan by the days between @start_date and @end_date, as partition pruning would.
    const perDay = 150 * 1024 ** 2;
    const byDays = (job: Parameters<FakeBigquery['dryRunBytes']>[0]): number => {
      const value = (name: string) =>
        job.configuration.query.queryParameters?.find((p) => p.name === name)?.parameterValue.value;
      const days =
        (Date.parse(value('end_date') ?? '') - Date.parse(value('start_date') ?? '')) / 86_400_000 +
        1;
      return days * perDay;
    };
    fake.dryRunBytes = byDays;
    const params = {
      start_date: '2020-11-01',
      end_date: '2021-01-29',
      include_intraday: false,
      ...goalTotalsQuery({ name: 'purchase', event: 'purchase', where: [] }).params,
    };
    const estimate = await runQuery(engine(), 'daily_totals', params, { dryRun: true });
    expect(estimate.bytesProcessed).toBe(90 * perDay);
    expect(estimate.rows).toEqual([]);
    expect(estimate.sql).toContain('`my-project-123.analytics_123456789.events_*`');
    expect(fake.calls('insert')).toHaveLength(1);

    fake.reset();
    fake.dryRunBytes = byDays;
    const error = await runQuery(engine(10 * 1024 ** 3), 'daily_totals', params).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CostCapError);
    expect((error as Error).message).toBe(
      'query daily_totals would process 13.2 GB, above the cap of 10 GB (BIGQUERY_MAX_BYTES_BILLED)',
    );
    expect(fake.calls('insert').map((r) => r.body.configuration.dryRun)).toEqual([true]);
  });

  it('retries a 503 on the dry run and on the job insert, reusing the job id', async () => {
    fake.result = ONE_ROW;
    fake.fail.dryRun.push(bigqueryError(503, 'backendError', 'Backend error.'));
    // The job is created but the answer is lost: the retry meets it (409) and reads its results.
    fake.fail.job.push({
      ...bigqueryError(503, 'backendError', 'Backend error.'),
      afterCreate: true,
    });
    const result = await engine().query('SELECT n FROM t', {}, { name: 'retry503' });
    expect(result.rows).toEqual([{ n: 1 }]);
    expect(retries).toEqual([
      { attempt: 1, code: 503 },
      { attempt: 1, code: 503 },
    ]);
    const inserts = fake.calls('insert').map((r) => r.body);
    expect(inserts.map((job) => job.configuration.dryRun ?? false)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(inserts[2].jobReference.jobId).toBe(inserts[3].jobReference.jobId);
    expect(fake.calls('results')).toHaveLength(1);
  });

  it('retries a 403 rateLimitExceeded while reading results', async () => {
    fake.result = ONE_ROW;
    fake.fail.results.push(
      bigqueryError(
        403,
        'rateLimitExceeded',
        'Exceeded rate limits: too many api requests per user per method',
      ),
      bigqueryError(429, 'rateLimitExceeded', 'Too many requests'),
    );
    const result = await engine().query('SELECT n FROM t', {}, { name: 'ratelimit' });
    expect(result.rows).toEqual([{ n: 1 }]);
    expect(retries).toEqual([
      { attempt: 1, code: 403 },
      { attempt: 2, code: 429 },
    ]);
    expect(fake.calls('results')).toHaveLength(3);
    expect(fake.calls('insert')).toHaveLength(2);
  });

  it('gives up after the bounded attempts on a lasting 503', async () => {
    fake.fail.dryRun.push(
      ...[1, 2, 3].map(() => bigqueryError(503, 'backendError', 'Backend error.')),
    );
    const error = await engine()
      .query('SELECT n FROM t', {}, { name: 'down' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toBe(
      'query down failed on BigQuery [backendError]: Backend error.',
    );
    expect(fake.calls('insert')).toHaveLength(3);
  });

  it('turns invalidQuery into a QueryError with line and column, without retrying', async () => {
    fake.fail.dryRun.push(
      bigqueryError(400, 'invalidQuery', 'Syntax error: Unexpected keyword FROM at [3:5]'),
    );
    const error = await engine()
      .query('SELECT\n  a,\n    FROM t', {}, { name: 'paths' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).not.toBeInstanceOf(CostCapError);
    const queryError = error as QueryError;
    expect(queryError.queryName).toBe('paths');
    expect(queryError.line).toBe(3);
    expect(queryError.column).toBe(5);
    expect(queryError.message).toBe(
      'query paths failed on BigQuery (line 3, column 5) [invalidQuery]: Syntax error: Unexpected keyword FROM at [3:5]',
    );
    expect(fake.requests).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('does not retry a denied or missing table', async () => {
    fake.fail.dryRun.push(
      bigqueryError(404, 'notFound', 'Not found: Table my-project-123:analytics_1.events_20201101'),
    );
    const error = await engine()
      .query('SELECT n FROM t', {}, { name: 'missing' })
      .catch((e: unknown) => e);
    expect((error as QueryError).message).toBe(
      'query missing failed on BigQuery [notFound]: Not found: Table my-project-123:analytics_1.events_20201101',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('a job failing at run time gives its position; a billing cap hit is a CostCapError', async () => {
    fake.fail.results.push(
      bigqueryError(400, 'invalidQuery', 'Query error: division by zero: 1 / 0 at [2:10]'),
    );
    const error = await engine()
      .query('SELECT\n  1 / 0 AS n', {}, { name: 'stages' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).line).toBe(2);
    expect((error as QueryError).column).toBe(10);
    expect(fake.calls('results')).toHaveLength(1);

    fake.reset();
    fake.fail.results.push(
      bigqueryError(
        400,
        'bytesBilledLimitExceeded',
        'Query exceeded limit for bytes billed: 10737418240. 11811160064 or higher required.',
      ),
    );
    const capped = await engine()
      .query('SELECT n FROM t', {}, { name: 'funnel' })
      .catch((e: unknown) => e);
    expect(capped).toBeInstanceOf(CostCapError);
    expect((capped as CostCapError).queryName).toBe('funnel');
    expect(retries).toEqual([]);
  });

  it('a job still running at the timeout is cancelled and reported as a TimeoutError', async () => {
    fake.incompletePolls = 1_000;
    const error = await engine()
      .query('SELECT n FROM t', {}, { name: 'slow', timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(
      /^query slow timed out after 300 ms \(job pathlight_slow_[0-9a-f]{32} cancelled\)$/,
    );
    const real = fake.calls('insert')[1]?.body;
    expect(real.configuration.jobTimeoutMs).toBe('300');
    expect(fake.calls('cancel').map((r) => r.path)).toEqual([
      `/bigquery/v2/projects/my-project-123/jobs/${real.jobReference.jobId}/cancel`,
    ]);
  });
});
