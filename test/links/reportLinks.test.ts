import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { reportLinksRouter } from '../../src/http/routes/reportLinks.js';
import { linkSecretsSchema } from '../../src/links/linkSecrets.js';
import { signLink } from '../../src/links/linkToken.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';
import { goalSchema } from '../../src/analyses/goals/goal.js';

const parseGoal = (input: unknown) => goalSchema.parse(input);
import { NOW, sampleDb } from '../render/sampleDb.js';

const keys = linkSecretsSchema.parse(`k2:${'b'.repeat(40)},k1:${'a'.repeat(40)}`);
const definition = parseReportDefinition({
  id: 'weekly',
  title: 'Weekly',
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [{ type: 'kpi_summary' }, { type: 'data_quality' }],
});
// The same report with its goal saved under a name, and the saved goals the router reads.
const named = parseReportDefinition({ ...definition, id: 'named', goal: 'Purchases' });
const inline = parseReportDefinition({
  ...definition,
  id: 'named',
  goal: { event: 'purchase', name: 'Purchases', value: 'none' },
});
const savedGoals = new Map([['Purchases', parseGoal({ name: 'Purchases', event: 'purchase' })]]);

let server: Server;
let base = '';
let engine: DuckdbEngine;
let queries = 0;

beforeAll(async () => {
  const real = await DuckdbEngine.open(await sampleDb());
  engine = real;
  const counting = Object.assign(Object.create(real) as DuckdbEngine, {
    query: (...args: Parameters<DuckdbEngine['query']>) => {
      queries++;
      return real.query(...args);
    },
  });
  const app = express();
  app.use(
    reportLinksRouter({
      keys,
      engine: counting,
      now: () => NOW,
      loadDefinition: async (id) =>
        id === 'weekly'
          ? definition
          : id === 'named'
            ? named
            : id === 'inline'
              ? inline
              : undefined,
      loadGoals: async () => new Map(savedGoals),
    }),
  );
  server = app.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await engine?.close();
});

const get = (path: string) => fetch(`${base}${path}`);

describe('GET /r/:token', () => {
  it('serves a valid link, and the second open runs no query', async () => {
    const token = signLink(keys, { report: 'weekly', formats: ['html'], ttlSeconds: 600 }, NOW);
    const first = await get(`/r/${token}`);
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/Oct 19\s–\s25, 2026/);
    const after = queries;
    expect(after).toBeGreaterThan(0);
    expect((await get(`/r/${token}`)).status).toBe(200);
    expect(queries).toBe(after);
  });

  it('an expired link answers 410 with a friendly page', async () => {
    const token = signLink(
      keys,
      { report: 'weekly', ttlSeconds: 60 },
      new Date(NOW.getTime() - 3600_000),
    );
    const res = await get(`/r/${token}`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This report link has expired');
  });

  it('refuses tampered links, ungranted formats and overrides', async () => {
    const token = signLink(keys, { report: 'weekly', formats: ['html'], ttlSeconds: 600 }, NOW);
    expect((await get(`/r/${token.slice(0, -3)}xyz`)).status).toBe(403);
    expect((await get(`/r/${token}.pdf`)).status).toBe(403);
    expect((await get(`/r/${token}?dateRange=last_month`)).status).toBe(403);
    expect((await get(`/r/${token}?debug=1`)).status).toBe(403);
  });

  it('a granted override renders the requested range', async () => {
    const token = signLink(
      keys,
      { report: 'weekly', formats: ['html'], ttlSeconds: 600, allowDateRange: true },
      NOW,
    );
    const res = await get(`/r/${token}?start=2026-10-12&end=2026-10-18`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Oct 12\s–\s18, 2026/);
  });

  it('a report whose goal names a saved goal counts that goal, and sees it edited', async () => {
    // Charts carry ids from a per-process counter: the page's text and tables are the comparison.
    const link = async (report: string) => {
      const res = await get(
        `/r/${signLink(keys, { report, formats: ['html'], ttlSeconds: 600 }, NOW)}`,
      );
      expect(res.status).toBe(200);
      return (await res.text()).replace(/<svg[\s\S]*?<\/svg>/g, '<svg/>');
    };
    const html = await link('named');
    // Drawn exactly as the same definition with the goal written inline.
    expect(html).toBe(await link('inline'));
    savedGoals.set('Purchases', parseGoal({ name: 'Purchases', event: 'add_to_cart' }));
    try {
      const edited = await link('named');
      expect(edited).not.toBe(html);
    } finally {
      savedGoals.set('Purchases', parseGoal({ name: 'Purchases', event: 'purchase' }));
    }
  });

  it('PDF without a browser pool is a 503, not a crash', async () => {
    const token = signLink(keys, { report: 'weekly', ttlSeconds: 600 }, NOW);
    expect((await get(`/r/${token}.pdf`)).status).toBe(503);
  });
});
