import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ga4DataApi } from '../../src/ga4/ga4DataApi.js';

/** GA4's Data API at the HTTP boundary: the real client library talks REST to this server. */
let server: Server;
let port: number;
const requests: { method: string; url: string; body: unknown; auth: string | undefined }[] = [];

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: body ? JSON.parse(body) : null,
        auth: req.headers.authorization,
      });
      res.setHeader('Content-Type', 'application/json');
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/v1beta/properties/123456789/metadata') {
        res.end(
          JSON.stringify({
            name: 'properties/123456789/metadata',
            metrics: [
              { apiName: 'activeUsers' },
              { apiName: 'keyEvents:purchase' },
              { apiName: 'keyEvents:generate_lead' },
              { apiName: 'sessions' },
            ],
          }),
        );
      } else if (path === '/v1beta/properties/123456789:runReport') {
        res.end(
          JSON.stringify({
            metricHeaders: [
              'activeUsers',
              'sessions',
              'eventCount',
              'keyEvents',
              'totalRevenue',
            ].map((name) => ({ name })),
            rows: [
              {
                metricValues: ['2491', '3120', '21355', '84', '1234.5'].map((value) => ({ value })),
              },
            ],
          }),
        );
      } else {
        res.statusCode = 404;
        res.end(
          JSON.stringify({
            error: { code: 404, message: `no route ${req.url}`, status: 'NOT_FOUND' },
          }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function tokenClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  return client;
}

const api = (propertyId = '123456789') =>
  ga4DataApi({
    propertyId,
    endpoint: { host: '127.0.0.1', port, protocol: 'http' },
    // A real auth client holding a token that does not expire, so it never asks Google for one.
    authClient: tokenClient(),
  });

describe('GA4 Data API', () => {
  it('lists the key events from the property metadata', async () => {
    expect(await api().keyEvents()).toEqual(['generate_lead', 'purchase']);
    expect(requests.at(-1)?.auth).toBe('Bearer test-token');
  });

  it('reads GA4 totals for a date range', async () => {
    expect(await api().totals({ start: '2020-12-25', end: '2020-12-25' })).toEqual({
      activeUsers: 2491,
      sessions: 3120,
      eventCount: 21355,
      keyEvents: 84,
      totalRevenue: 1234.5,
    });
    expect(requests.at(-1)?.body).toMatchObject({
      dateRanges: [{ startDate: '2020-12-25', endDate: '2020-12-25' }],
      metrics: [
        { name: 'activeUsers' },
        { name: 'sessions' },
        { name: 'eventCount' },
        { name: 'keyEvents' },
        { name: 'totalRevenue' },
      ],
    });
  });

  it('names the setting when the property id is malformed', () => {
    expect(() => api('analytics_123')).toThrow(/GA4_PROPERTY_ID: expected the numeric property id/);
  });

  it('turns API errors into one readable error', async () => {
    await expect(api('999').keyEvents()).rejects.toThrow(/GA4 Data API \(metadata\) failed/);
  });
});
