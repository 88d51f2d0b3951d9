import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { reportRunEmail } from '../../src/app/reportRunEmail.js';
import { storedReportDefinition } from '../../src/app/storedDefinitions.js';
import { reportLinksRouter } from '../../src/http/routes/reportLinks.js';
import { linkSecretsSchema } from '../../src/links/linkSecrets.js';
import { RunsRepo } from '../../src/store/runsRepo.js';
import { migrate } from '../../src/store/migrate.js';
import { eventsDb } from '../http/support/eventsFixture.js';
import { storeKinds, type TestStore } from '../support/stores.js';

// A scheduled email's "Open this report online": rendered by the scheduler's renderer (HTML only,
// no browser), recorded in the store, and opened through the link router on the same store.
const keys = linkSecretsSchema.parse(`k1:${'a'.repeat(40)}`);
let store: TestStore;
let engine: DuckdbEngine;
let server: Server;
let base = '';

beforeAll(async () => {
  store = await storeKinds.postgres();
  await migrate(store.db);
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('shop', $1::jsonb)`, [
    JSON.stringify({
      title: 'Shop',
      goal: { event: 'purchase' },
      dateRange: 'last_7_days',
      comparison: 'none',
      sections: [{ type: 'kpi_summary' }],
    }),
  ]);
  engine = await DuckdbEngine.open(await eventsDb());
  const app = express();
  app.use(
    reportLinksRouter({
      keys,
      store: store.db,
      engine,
      loadDefinition: (id) => storedReportDefinition(store.db, id),
    }),
  );
  server = app.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await engine?.close();
  await store?.dispose();
});

describe('an email links back to its own period', () => {
  it('carries "Open this report online", and the link opens that period only', async () => {
    const run = await new RunsRepo(store.db).createManual('shop', 'send_now', {
      dateRange: { start: '2024-03-01', end: '2024-03-02' },
      formats: { pdf: false, inline: true },
    });
    const renderer = reportRunEmail({
      engine,
      store: store.db,
      email: {
        attachmentLimitBytes: 1024 * 1024,
        unsubscribeMailto: 'reports@example.com',
        links: { keys, publicUrl: () => `${base}/`, ttlDays: 14 },
      },
    });
    const { email } = await renderer.render(run, null, new AbortController().signal);
    const made =
      /Open this report online \(this period; the link stays valid until ([^)]+)\):\n(\S+)/.exec(
        email.text,
      );
    expect(made).not.toBeNull();
    const url = made?.[2] as string;
    expect(url.startsWith(`${base}/r/`)).toBe(true);
    expect(email.html).toContain(`<a href="${url}"`);
    expect(email.html).toContain('Open this report online</a>');
    const expires = new Date(Date.now() + 14 * 86_400_000);
    const day = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'long' });
    expect(made?.[1]).toBe(day.format(expires));

    const rows = await store.db.query<{ source: string; created_by: string; params: unknown }>(
      'SELECT source, created_by, params FROM report_links',
    );
    expect(rows).toEqual([
      {
        source: 'email',
        created_by: 'send now',
        params: { dateRange: { start: '2024-03-01', end: '2024-03-02' } },
      },
    ]);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    // The email's two days, whatever "last 7 days" means when the link is opened.
    expect(html).toMatch(/<title>Shop · Mar 1\s–\s2, 2024<\/title>/);
    expect(html).not.toContain('range-picker');
    expect((await fetch(`${url}?dateRange=last_7_days`)).status).toBe(403);
  });

  it('says nothing about links when sharing is off', async () => {
    const run = await new RunsRepo(store.db).createManual('shop', 'send_now', {
      formats: { pdf: false, inline: true },
    });
    const renderer = reportRunEmail({
      engine,
      store: store.db,
      email: { attachmentLimitBytes: 1024 * 1024, unsubscribeMailto: 'reports@example.com' },
    });
    const { email } = await renderer.render(run, null, new AbortController().signal);
    expect(email.text).not.toContain('Open this report online');
  });
});
