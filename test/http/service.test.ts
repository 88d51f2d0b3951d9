import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/main/startService.js';
import { simpleParser } from 'mailparser';
import { RANGE } from './support/eventsFixture.js';
import { call, startTestService } from './support/testApp.js';

describe('a ready service', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({
      PATHLIGHT_BROWSER_PATH: process.execPath,
      PATHLIGHT_API_RATE_LIMIT: '3',
      PATHLIGHT_LINK_RATE_LIMIT: '2',
    });
  });
  afterAll(() => service.stop());

  it('is ready when store, engine and browser are', async () => {
    const ok = await call(`${service.url}/readyz`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      status: 'ready',
      engine: 'duckdb',
      checks: { store: 'ok', engine: 'ok', browser: 'ok' },
    });
    expect((await call(`${service.url}/healthz`)).body).toEqual({ status: 'ok' });
  });

  it('rate-limits the API and the signed links, in the error shape', async () => {
    const auth = { Authorization: `Bearer ${service.adminToken}` };
    for (let i = 0; i < 3; i += 1)
      expect((await call(`${service.url}/api/goals`, { headers: auth })).status).toBe(200);
    const limited = await call(`${service.url}/api/goals`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    await call(`${service.url}/r/abc`);
    await call(`${service.url}/r/abc`);
    expect((await call(`${service.url}/r/abc`)).status).toBe(429);
  });
});

describe('a service without its browser', () => {
  it('is not ready and names the check; stops gracefully; keeps its token across a restart', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inside = new Promise<void>((resolve) => (arrived = resolve));
    const service = await startTestService(
      { PATHLIGHT_BROWSER_PATH: '/nonexistent/chromium' },
      {
        extendApi: (router) =>
          router.get('/slow', async (_req, res) => {
            arrived();
            await held;
            res.json({ finished: true });
          }),
      },
    );
    const res = await call(`${service.url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body.checks.browser).toBe(
      'no browser executable at /nonexistent/chromium: PDFs cannot be printed. Install Chromium ' +
        '(Debian: apt-get install chromium) or set PATHLIGHT_BROWSER_PATH=none to send HTML only',
    );

    // Graceful stop: the open request finishes, new connections are refused.
    const slow = call(`${service.url}/api/slow`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    await inside;
    const stopping = service.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    release();
    expect((await slow).body).toEqual({ finished: true });
    await stopping;

    const again = await startTestService({ PATHLIGHT_DATA_DIR: service.dataDir });
    try {
      expect(again.adminToken).toBe(service.adminToken);
    } finally {
      await again.stop();
    }
  }, 180_000);
});

describe('a service with PDFs turned off (App Engine standard)', () => {
  let service: RunningService;
  let auth: Record<string, string>;
  beforeAll(async () => {
    service = await startTestService({ PATHLIGHT_BROWSER_PATH: 'none' });
    auth = { Authorization: `Bearer ${service.adminToken}` };
  });
  afterAll(() => service.stop());

  it('is ready, and says PDFs are off', async () => {
    const res = await call(`${service.url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ready',
      engine: 'duckdb',
      checks: {
        store: 'ok',
        engine: 'ok',
        browser:
          'off: HTML only (PATHLIGHT_BROWSER_PATH=none); emails carry no PDF and PDF previews are refused',
      },
    });
  });

  it('refuses a PDF preview by name and sends a schedule that asks for a PDF as HTML', async () => {
    await call(`${service.url}/api/reports/weekly`, {
      method: 'PUT',
      headers: auth,
      body: {
        title: 'Weekly',
        goal: { event: 'purchase' },
        dateRange: { start: RANGE.from, end: RANGE.to },
        sections: [{ type: 'kpi_summary' }],
      },
    });
    const pdf = await call(`${service.url}/api/reports/weekly/preview?format=pdf`, {
      headers: auth,
    });
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.field).toBe('format');
    await call(`${service.url}/api/schedules/weekly-mail`, {
      method: 'PUT',
      headers: auth,
      body: {
        reportId: 'weekly',
        name: 'Weekly mail',
        cron: '0 8 * * 1',
        timeZone: 'UTC',
        recipients: { to: ['ceo@example.com'] },
        formats: { pdf: true, inline: true },
      },
    });
    await call(`${service.url}/api/schedules/weekly-mail/send-now`, {
      method: 'POST',
      headers: auth,
    });
    await service.scheduler.runOnce();
    const runs = await call(`${service.url}/api/schedules/weekly-mail/runs`, { headers: auth });
    expect(runs.body.runs[0]).toMatchObject({ status: 'sent' });
    const listed = await call(`${service.url}/api/outbox`, { headers: auth });
    const raw = await fetch(`${service.url}/api/outbox/${listed.body.messages[0].file}`, {
      headers: auth,
    });
    const mail = await simpleParser(Buffer.from(await raw.arrayBuffer()));
    expect(mail.subject).toMatch(/^Weekly · /);
    expect(mail.attachments.filter((a) => a.contentType === 'application/pdf')).toEqual([]);
  });
});
