import { OAuth2Client } from 'google-auth-library';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigqueryEngine } from '../../src/engines/bigquery/BigqueryEngine.js';
import { createApp, startServer, type RunningServer } from '../../src/http/server.js';
import { migrate } from '../../src/store/migrate.js';
import { FakeBigquery } from '../bigquery/fakeBigquery.js';
import { storeKinds, type TestStore } from '../support/stores.js';
import { call } from './support/testApp.js';

// The funnel builder's cost line on BigQuery: POST /api/funnels/estimate dry-runs the funnel's
// query (BigQuery's REST API faked at the HTTP boundary) and answers its bytes; nothing runs.
const fake = new FakeBigquery();
let store: TestStore;
let server: RunningServer;
const auth = { Authorization: 'Bearer estimate-test-token' };

beforeAll(async () => {
  const endpoint = await fake.start();
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  const engine = BigqueryEngine.create({
    project: 'my-project-123',
    dataset: 'analytics_123456789',
    location: 'EU',
    maximumBytesBilled: 10 * 1024 ** 3,
    jobTimeoutMs: 30_000,
    credentials: { kind: 'adc' },
    apiEndpoint: endpoint,
    authClient: client,
    retry: { attempts: 1, baseDelayMs: 5 },
  });
  store = await storeKinds.pglite();
  await migrate(store.db);
  const app = createApp({
    engine,
    store: store.db,
    logger: pino({ level: 'silent' }),
    access: { mode: 'token', token: 'estimate-test-token', sessionSecret: 'x'.repeat(32) },
  });
  server = await startServer(app, '127.0.0.1', 0);
});
afterAll(async () => {
  await server.stop();
  await store.dispose();
  await fake.stop();
});

describe('the funnel estimate on BigQuery', () => {
  it('answers the dry run’s bytes and starts no job', async () => {
    fake.dryRunBytes = () => 3_456_789_012;
    const res = await call(`${server.url}/api/funnels/estimate`, {
      method: 'POST',
      headers: auth,
      body: {
        dateRange: { start: '2024-03-01', end: '2024-03-03' },
        steps: [{ event: 'page_view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ engine: 'bigquery', bytesProcessed: 3_456_789_012 });
    const inserts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    expect(inserts.map((r) => r.body.configuration.dryRun)).toEqual([true]);
    const names = inserts[0]?.body.configuration.query.queryParameters.map(
      (p: { name: string }) => p.name,
    );
    expect(names).toEqual(expect.arrayContaining(['start_date', 'end_date']));
  });

  it('adds up every query the funnel runs: each segment, the trend, time to convert, next actions', async () => {
    fake.reset();
    // Each dry run answers a figure of its own query and parameters, so the sum shows which
    // queries were asked for.
    const bytesOf = (query: unknown): number => 1_000 * (JSON.stringify(query).length % 997) + 1;
    fake.dryRunBytes = (job) => bytesOf(job.configuration.query);
    const res = await call(`${server.url}/api/funnels/estimate`, {
      method: 'POST',
      headers: auth,
      body: {
        dateRange: { start: '2024-03-01', end: '2024-03-03' },
        steps: [{ event: 'page_view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
        segments: [
          { name: 'Desktop', where: [{ field: 'device.category', op: 'eq', value: 'desktop' }] },
          { name: 'Mobile', where: [{ field: 'device.category', op: 'eq', value: 'mobile' }] },
        ],
        trend: { interval: 'week' },
        timeToConvert: {},
        nextAction: { by: 'event' },
      },
    });
    expect(res.status).toBe(200);
    const inserts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    // The whole funnel, two segments, the trend, time to convert and next actions: six dry runs.
    expect(inserts.map((r) => r.body.configuration.dryRun)).toEqual(Array(6).fill(true));
    const queries = inserts.map((r) => r.body.configuration.query as unknown);
    // The segments share their SQL; their parameters tell them apart.
    expect(new Set(queries.map((q) => JSON.stringify(q))).size).toBe(6);
    expect(res.body).toEqual({
      engine: 'bigquery',
      bytesProcessed: queries.reduce((sum: number, query) => sum + bytesOf(query), 0),
    });
  });

  it("estimates the funnel builder's form as typed, segments and trend included", async () => {
    fake.reset();
    fake.dryRunBytes = () => 2_000_000;
    const form = new URLSearchParams([
      ['from', '2024-03-01'],
      ['to', '2024-03-03'],
      ['step', 'event:page_view'],
      ['step', 'event:purchase'],
      ['trend', 'on'],
      ['interval', 'day'],
      ['segments.0.name', 'Buyers'],
      ['segments.0.scope', 'user'],
      ['segments.0.event', 'purchase'],
    ]).toString();
    const res = await call(`${server.url}/funnel/estimate`, {
      method: 'POST',
      headers: auth,
      body: { form },
    });
    expect([res.status, res.body?.error]).toEqual([200, undefined]);
    // The whole funnel, the one segment and the trend: three dry runs of 2,000,000 bytes.
    expect(res.body).toEqual({ engine: 'bigquery', bytesProcessed: 6_000_000 });
    const inserts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    expect(inserts.map((r) => r.body.configuration.dryRun)).toEqual([true, true, true]);
  });

  it('names the field of a bad form', async () => {
    fake.reset();
    const form =
      'from=2024-03-01&to=2024-03-03&step=event:page_view&step=event:purchase&within=&within=soon';
    const res = await call(`${server.url}/funnel/estimate`, {
      method: 'POST',
      headers: auth,
      body: { form },
    });
    expect(res.status).toBe(400);
    expect(fake.requests).toEqual([]);
    expect(res.body.error).toMatchObject({ code: 'invalid_input' });
    expect(JSON.stringify(res.body.error)).toContain('within');
  });

  it('names the field of a bad funnel before any call to BigQuery', async () => {
    fake.reset();
    const res = await call(`${server.url}/api/funnels/estimate`, {
      method: 'POST',
      headers: auth,
      body: {
        dateRange: { start: '2024-03-01', end: '2024-03-03' },
        steps: [{ event: 'page_view' }, { event: 'purchase', within: 'soon' }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('steps[1].within');
    expect(fake.requests).toEqual([]);
  });
});
