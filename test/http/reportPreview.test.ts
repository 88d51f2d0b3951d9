import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { ga4DataApi } from '../../src/ga4/ga4DataApi.js';
import { createApp, startServer, type RunningServer } from '../../src/http/server.js';
import { migrate } from '../../src/store/migrate.js';
import { sampleDb } from '../render/sampleDb.js';
import { storeKinds, type TestStore } from '../support/stores.js';
import { call } from './support/testApp.js';

// The API's report preview with a GA4 property configured: the data-quality box asks GA4's Data API
// (faked at its HTTP boundary, the real client library talking REST to it), as scheduled runs do;
// a definition's goal may name a goal saved through the API.
let ga4Server: Server;
const ga4Bodies: unknown[] = [];
let engine: DuckdbEngine;
let store: TestStore;
let server: RunningServer;
const auth = { Authorization: 'Bearer preview-test-token' };

beforeAll(async () => {
  ga4Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      ga4Bodies.push(body ? JSON.parse(body) : null);
      const names = ['activeUsers', 'sessions', 'eventCount', 'keyEvents', 'totalRevenue'];
      const values = [98765, 87654, 7654321, 0, 123456];
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          metricHeaders: names.map((name) => ({ name })),
          rows: [{ metricValues: values.map((v) => ({ value: String(v) })) }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => ga4Server.listen(0, '127.0.0.1', resolve));
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 't', expiry_date: Date.now() + 3_600_000 });
  const ga4 = ga4DataApi({
    propertyId: '123456789',
    endpoint: {
      host: '127.0.0.1',
      port: (ga4Server.address() as AddressInfo).port,
      protocol: 'http',
    },
    authClient: client,
  });
  engine = await DuckdbEngine.open(await sampleDb());
  store = await storeKinds.pglite();
  await migrate(store.db);
  const app = createApp({
    engine,
    store: store.db,
    ga4,
    logger: pino({ level: 'silent' }),
    access: { mode: 'token', token: 'preview-test-token', sessionSecret: 'x'.repeat(32) },
  });
  server = await startServer(app, '127.0.0.1', 0);
});
afterAll(async () => {
  await server?.stop();
  await store?.dispose();
  await engine?.close();
  await new Promise((resolve) => ga4Server.close(resolve));
});

const preview = (body: Record<string, unknown>) =>
  call(`${server.url}/api/reports/preview`, {
    method: 'POST',
    headers: auth,
    body: {
      id: 'preview',
      title: 'Preview',
      goal: { event: 'purchase' },
      dateRange: { start: '2026-10-19', end: '2026-10-25' },
      sections: [{ type: 'data_quality' }],
      ...body,
    },
  });

describe('the API report preview', () => {
  it('sets GA4’s own totals beside the export’s, for the report range', async () => {
    const res = await preview({});
    expect(res.status).toBe(200);
    expect(ga4Bodies.at(-1)).toMatchObject({
      dateRanges: [{ startDate: '2026-10-19', endDate: '2026-10-25' }],
    });
    for (const figure of ['98,765', '87,654', '7,654,321', '$123,456.00']) {
      expect(res.body).toContain(figure);
    }
  });

  it('does not ask GA4 when filters are set, and says why', async () => {
    const asked = ga4Bodies.length;
    const res = await preview({
      filters: [{ field: 'device.category', op: 'eq', value: 'mobile' }],
    });
    expect(res.status).toBe(200);
    expect(ga4Bodies.length).toBe(asked);
    expect(res.body).toContain('filters cannot be applied to GA4');
    expect(res.body).not.toContain('7,654,321');
  });

  it('counts a goal saved through the API, by name', async () => {
    const saved = await call(`${server.url}/api/goals/Orders`, {
      method: 'PUT',
      headers: auth,
      body: { event: 'purchase', where: [{ param: 'currency', op: 'eq', value: 'NONE' }] },
    });
    expect(saved.status).toBe(200);
    const res = await preview({ goal: 'Orders', sections: [{ type: 'kpi_summary' }] });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Conversions (Orders)');
    const unknown = await preview({ goal: 'Leads', sections: [{ type: 'kpi_summary' }] });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain(
      'goal: no saved goal named \\"Leads\\" (known: Orders)',
    );
  });
});
