import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * BigQuery's REST API at the HTTP boundary, just the jobs calls the engine makes: jobs.insert
 * (dry run or real), jobs.getQueryResults, jobs.get and jobs.cancel, load jobs (multipart uploads),
 * tables.get and tables.patch over the tables loads made. Rows are served as the
 * API encodes them (f/v cells, every scalar a string). Every request is recorded.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly auth: string | undefined;
}

export interface FakeReply {
  readonly status: number;
  readonly body: unknown;
  /** For a job insert: create the job, then fail (a reply lost in transit). */
  readonly afterCreate?: boolean;
}

export interface FakeResult {
  readonly schema: { fields: unknown[] };
  readonly rows: unknown[];
}

type JobBody = {
  jobReference: { projectId: string; jobId: string; location?: string };
  configuration: {
    dryRun?: boolean;
    query: {
      query?: string;
      queryParameters?: { name: string; parameterValue: { value?: string } }[];
    };
  };
};

/** BigQuery's error body: `{ error: { code, message, errors: [{ reason, message }] } }`. */
export function bigqueryError(status: number, reason: string, message: string): FakeReply {
  return {
    status,
    body: {
      error: {
        code: status,
        message,
        errors: [{ message, domain: 'global', reason }],
        status:
          status === 429
            ? 'RESOURCE_EXHAUSTED'
            : status >= 500
              ? 'UNAVAILABLE'
              : 'INVALID_ARGUMENT',
      },
    },
  };
}

export class FakeBigquery {
  readonly requests: RecordedRequest[] = [];
  /** Failures served in order before normal answers, per call. */
  readonly fail: { dryRun: FakeReply[]; job: FakeReply[]; results: FakeReply[] } = {
    dryRun: [],
    job: [],
    results: [],
  };
  /** Bytes the dry run reports for a job. */
  dryRunBytes: (job: JobBody) => number = () => 1_000_000;
  result: FakeResult = { schema: { fields: [] }, rows: [] };
  /** A job's own result by its SQL, where one answer for every job is not enough. */
  resultFor: (sql: string) => FakeResult | undefined = () => undefined;
  /** Rows per page of getQueryResults (BigQuery pages by size; tests page by count). */
  pageSize = 1000;
  /** getQueryResults answers `jobComplete: false` this many times (after waiting) first. */
  incompletePolls = 0;
  private readonly jobs = new Map<string, JobBody>();
  /** Tables by `project.dataset.table`: what loads and patches left (a test may seed one). */
  readonly tables = new Map<string, TableResource>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  reset(): void {
    this.requests.length = 0;
    this.fail.dryRun.length = 0;
    this.fail.job.length = 0;
    this.fail.results.length = 0;
    this.jobs.clear();
    this.tables.clear();
    this.uploads.length = 0;
    this.dryRunBytes = () => 1_000_000;
    this.result = { schema: { fields: [] }, rows: [] };
    this.resultFor = () => undefined;
    this.pageSize = 1000;
    this.incompletePolls = 0;
  }

  /** The recorded calls of one kind, in order. */
  calls(
    kind: 'insert' | 'results' | 'cancel' | 'get' | 'table-get' | 'table-patch',
  ): RecordedRequest[] {
    return this.requests.filter((r) => kindOf(r.method, r.path) === kind);
  }

  /** Load jobs received as multipart uploads: the job's configuration and the uploaded data. */
  readonly uploads: { job: JobBody; data: string }[] = [];

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += (chunk as Buffer).toString();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/upload/bigquery/v2/projects/')) {
      // A multipart/related body: the job resource as JSON, then the data.
      const boundary = /boundary="?([^";]+)"?/.exec(req.headers['content-type'] ?? '')?.[1] ?? '';
      const parts = text
        .split(`--${boundary}`)
        .map((part) =>
          part
            .split(/\r?\n\r?\n/)
            .slice(1)
            .join('\n\n')
            .replace(/\r?\n$/, ''),
        )
        .filter((part) => part !== '' && part !== '--');
      const job = JSON.parse(parts[0] ?? '{}') as JobBody;
      const data = parts[1] ?? '';
      this.uploads.push({ job, data });
      this.loaded(job);
      const rows = data.split('\n').filter((line) => line.trim() !== '').length;
      const done = {
        ...job,
        id: job.jobReference.jobId,
        status: { state: 'DONE' },
        statistics: { load: { outputRows: String(rows) } },
      };
      this.jobs.set(job.jobReference.jobId, done as JobBody);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ kind: 'bigquery#job', ...done }));
      return;
    }
    const request: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : null,
      auth: req.headers.authorization,
    };
    this.requests.push(request);
    const reply = await this.answer(request);
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(reply.body));
  }

  /** A load job's effect on its table: replaced or appended to, created with its properties. */
  private loaded(job: JobBody): void {
    const load = (job.configuration as unknown as { load?: LoadConfiguration }).load;
    if (!load) return;
    const ref = load.destinationTable;
    const key = `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
    const before = this.tables.get(key);
    const props = load.destinationTableProperties ?? {};
    this.tables.set(key, {
      tableReference: ref,
      schema: load.schema ?? before?.schema ?? { fields: [] },
      description: before ? before.description : props.description,
      labels: before ? before.labels : props.labels,
    });
  }

  private table(request: RecordedRequest): FakeReply {
    const [, , , projectId = '', , datasetId = '', , tableId = ''] = request.path
      .split('/')
      .slice(1)
      .map(decodeURIComponent);
    const key = `${projectId}.${datasetId}.${tableId}`;
    const table = this.tables.get(key);
    if (!table) return bigqueryError(404, 'notFound', `Not found: Table ${key}`);
    if (request.method === 'PATCH') {
      const patch = request.body as Partial<TableResource>;
      this.tables.set(key, { ...table, ...patch, tableReference: table.tableReference });
    }
    return ok({ kind: 'bigquery#table', id: key, ...this.tables.get(key) });
  }

  private async answer(request: RecordedRequest): Promise<FakeReply> {
    const kind = kindOf(request.method, request.path);
    if (kind === 'table-get' || kind === 'table-patch') return this.table(request);
    const jobId = decodeURIComponent(request.path.split('/')[6] ?? '');
    if (kind === 'insert') {
      const job = request.body as JobBody;
      if (job.configuration.dryRun) {
        const failure = this.fail.dryRun.shift();
        if (failure) return failure;
        const bytes = String(this.dryRunBytes(job));
        return ok({
          kind: 'bigquery#job',
          jobReference: job.jobReference,
          configuration: job.configuration,
          status: { state: 'DONE' },
          statistics: {
            totalBytesProcessed: bytes,
            query: {
              totalBytesProcessed: bytes,
              schema: this.result.schema,
              statementType: 'SELECT',
            },
          },
        });
      }
      const id = job.jobReference.jobId;
      const failure = this.fail.job.shift();
      if (failure?.afterCreate) this.jobs.set(id, job);
      if (failure) return failure;
      if (this.jobs.has(id)) return bigqueryError(409, 'duplicate', `Already Exists: Job ${id}`);
      this.jobs.set(id, job);
      return ok({ kind: 'bigquery#job', ...job, id, status: { state: 'RUNNING' }, statistics: {} });
    }
    const job = this.jobs.get(jobId);
    if (!job) return bigqueryError(404, 'notFound', `Not found: Job ${jobId}`);
    if (kind === 'results') {
      const failure = this.fail.results.shift();
      if (failure) return failure;
      if (this.incompletePolls > 0) {
        this.incompletePolls--;
        // BigQuery holds the call up to timeoutMs; a short wait keeps the test quick.
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(Number(request.query.timeoutMs), 50)),
        );
        return ok({
          kind: 'bigquery#getQueryResultsResponse',
          jobReference: job.jobReference,
          jobComplete: false,
        });
      }
      const result =
        this.resultFor((job.configuration.query as { query?: string }).query ?? '') ?? this.result;
      const start = Number(request.query.pageToken ?? 0);
      const size = Math.min(this.pageSize, Number(request.query.maxResults ?? this.pageSize));
      const rows = result.rows.slice(start, start + size);
      const next = start + size < result.rows.length ? String(start + size) : undefined;
      return ok({
        kind: 'bigquery#getQueryResultsResponse',
        jobReference: job.jobReference,
        schema: result.schema,
        ...(rows.length > 0 ? { rows } : {}),
        totalRows: String(result.rows.length),
        ...(next ? { pageToken: next } : {}),
        totalBytesProcessed: String(this.dryRunBytes(job)),
        jobComplete: true,
        cacheHit: false,
      });
    }
    if (kind === 'cancel') {
      return ok({ kind: 'bigquery#jobCancelResponse', job: { ...job, status: { state: 'DONE' } } });
    }
    if (kind === 'get') {
      // A load job is done once uploaded; a query job keeps running until cancelled.
      const load = (job.configuration as { load?: unknown }).load !== undefined;
      return ok({ kind: 'bigquery#job', ...job, status: { state: load ? 'DONE' : 'RUNNING' } });
    }
    return bigqueryError(404, 'notFound', `no route ${request.method} ${request.path}`);
  }
}

interface TableRef {
  projectId: string;
  datasetId: string;
  tableId: string;
}

export interface TableResource {
  tableReference: TableRef;
  schema: { fields: unknown[] };
  description?: string | undefined;
  labels?: Record<string, string> | undefined;
}

interface LoadConfiguration {
  destinationTable: TableRef;
  schema?: { fields: unknown[] };
  destinationTableProperties?: { description?: string; labels?: Record<string, string> };
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}

/** `/bigquery/v2/projects/{p}/jobs`, `.../queries/{id}`, `.../jobs/{id}/cancel`, `.../jobs/{id}`. */
function kindOf(method: string, path: string): string {
  const parts = path.split('/').slice(1);
  if (parts[0] !== 'bigquery' || parts[1] !== 'v2' || parts[2] !== 'projects') return 'other';
  if (method === 'POST' && parts[4] === 'jobs' && parts.length === 5) return 'insert';
  if (method === 'GET' && parts[4] === 'queries' && parts.length === 6) return 'results';
  if (method === 'POST' && parts[4] === 'jobs' && parts[6] === 'cancel') return 'cancel';
  if (method === 'GET' && parts[4] === 'jobs' && parts.length === 6) return 'get';
  if (parts[4] === 'datasets' && parts[6] === 'tables' && parts.length === 8) {
    if (method === 'GET') return 'table-get';
    if (method === 'PATCH') return 'table-patch';
  }
  return 'other';
}
