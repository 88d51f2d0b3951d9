import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { ga4DataApi } from '../../src/ga4/ga4DataApi.js';
import { renderReportHtml } from '../../src/render/renderHtml.js';
import { buildReportModel } from '../../src/reports/buildReportModel.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';
import type { DataQualityContext } from '../../src/reports/sections/dataQuality.js';
import { NOW, sampleDb } from '../render/sampleDb.js';

/** GA4's Data API at the HTTP boundary: the real client library talks REST to this server. */
let server: Server;
let port: number;
let failing = false;
const bodies: unknown[] = [];
const GA4 = { activeUsers: 160, sessions: 250, eventCount: 2446, totalRevenue: 800 };

let engine: DuckdbEngine;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body ? JSON.parse(body) : null);
      res.setHeader('Content-Type', 'application/json');
      if (failing) {
        res.statusCode = 503;
        res.end(
          JSON.stringify({ error: { code: 503, message: 'backend down', status: 'UNAVAILABLE' } }),
        );
        return;
      }
      const names = ['activeUsers', 'sessions', 'eventCount', 'keyEvents', 'totalRevenue'];
      const values = [GA4.activeUsers, GA4.sessions, GA4.eventCount, 0, GA4.totalRevenue];
      res.end(
        JSON.stringify({
          metricHeaders: names.map((name) => ({ name })),
          rows: [{ metricValues: values.map((v) => ({ value: String(v) })) }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  engine = await DuckdbEngine.open(await sampleDb());
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await engine?.close();
});

const api = () => {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 't', expiry_date: Date.now() + 3_600_000 });
  return ga4DataApi({
    propertyId: '123456789',
    endpoint: { host: '127.0.0.1', port, protocol: 'http' },
    authClient: auth,
  });
};
const definition = parseReportDefinition({
  id: 'quality',
  title: 'Quality',
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [{ type: 'data_quality' }],
});
const quality = async (ga4?: ReturnType<typeof api>) => {
  const model = await buildReportModel(engine, definition, NOW, ga4 ? { ga4 } : {});
  return { model, context: model.sections[0]?.context as DataQualityContext };
};

/** The export's figures for 19-25 Oct, written independently of sql/range_totals.sql. */
async function exportTotals() {
  const { rows } = await engine.query(
    `WITH e AS (
       SELECT user_pseudo_id AS u, event_name,
         list_filter(event_params, p -> p.key = 'ga_session_id')[1].value.int_value AS s,
         ecommerce.transaction_id AS t, COALESCE(ecommerce.purchase_revenue, 0) AS revenue
       FROM events_wildcard WHERE event_date BETWEEN '20261019' AND '20261025'),
     tx AS (SELECT t, MAX(revenue) AS revenue FROM e WHERE event_name = 'purchase' GROUP BY t)
     SELECT COUNT(DISTINCT u) AS users, COUNT(DISTINCT u || '.' || CAST(s AS VARCHAR)) AS sessions,
       COUNT(*) AS events, (SELECT SUM(revenue) FROM tx) AS revenue FROM e`,
    {},
    { name: 'test_export_totals' },
  );
  const r = rows[0] as Record<string, unknown>;
  return {
    users: Number(r.users),
    sessions: Number(r.sessions),
    events: Number(r.events),
    revenue: Math.round(Number(r.revenue) * 100) / 100,
  };
}

describe('data quality against GA4', () => {
  it('sets the export’s totals beside GA4’s for the report range, flags gaps over 5%', async () => {
    const { model, context } = await quality(api());
    expect(bodies.at(-1)).toMatchObject({
      dateRanges: [{ startDate: '2026-10-19', endDate: '2026-10-25' }],
    });
    const bq = await exportTotals();
    const int = new Intl.NumberFormat('en-US');
    const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
    const gap = (b: number, g: number) => {
      const x = (100 * (b - g)) / g;
      return { text: `${x > 0 ? '+' : ''}${x.toFixed(1)}%`, warn: Math.abs(x) > 5 };
    };
    const row = (metric: string, b: number, g: number, show: (x: number) => string) => ({
      metric,
      bigquery: show(b),
      ga4: show(g),
      difference: gap(b, g).text,
      warn: gap(b, g).warn,
    });
    expect(context.ga4?.rows).toEqual([
      row('Users', bq.users, GA4.activeUsers, (x) => int.format(x)),
      row('Sessions', bq.sessions, GA4.sessions, (x) => int.format(x)),
      row('Events', bq.events, GA4.eventCount, (x) => int.format(x)),
      row('Revenue', bq.revenue, GA4.totalRevenue, (x) => usd.format(x)),
    ]);
    // The sample's sessions are far from the 250 GA4 answers here: that row is flagged.
    expect(context.ga4?.rows[1]?.warn).toBe(true);
    const item = context.items.find((i) => i.label === 'BigQuery totals against GA4');
    expect(item?.warn).toBe(true);
    expect(item?.value).toContain('sessions');
    const html = renderReportHtml(model);
    expect(html).toContain('The export against GA4’s own totals');
    expect(html).toContain('HyperLogLog++');
  });

  it('reports a failing Data API in the box and still builds the report', async () => {
    failing = true;
    try {
      const { context } = await quality(api());
      const item = context.items.find((i) => i.label === 'BigQuery totals against GA4');
      expect(item).toMatchObject({ value: 'not checked', warn: true });
      expect(item?.note).toMatch(/GA4 Data API \(runReport\) failed/);
      expect(context.ga4).toBeNull();
    } finally {
      failing = false;
    }
  });

  it('says no property is configured when there is none', async () => {
    const calls = bodies.length;
    const { context } = await quality();
    expect(context.items.at(-1)).toMatchObject({
      value: 'not checked',
      note: 'no GA4 property configured (GA4_PROPERTY_ID)',
    });
    expect(context.ga4).toBeNull();
    expect(bodies.length).toBe(calls);
  });
});
